import { inflateSync } from 'node:zlib';

/** The text of a PDF's pages, as pdfkit writes them: each content stream inflated, the hex strings of its TJ operators decoded. */
export function pdfText(pdf: Buffer): string {
  return [...pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)]
    .map((match) => {
      try {
        return inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
      } catch {
        return '';
      }
    })
    .flatMap((content) => [...content.matchAll(/<([0-9a-fA-F]+)>/g)].map((hex) => Buffer.from(hex[1]!, 'hex').toString('latin1')))
    .join('');
}
