-- The four service databases (DESIGN.md: one database per service). Run by the postgres image on
-- first start (docker-compose.yml); scripts/infra/postgres.sh does the same without Docker.
CREATE DATABASE conduct_approval;
CREATE DATABASE conduct_violation;
CREATE DATABASE conduct_notification;
CREATE DATABASE conduct_reporting;
