-- The four service databases (one database per service), and the role the services connect as:
-- SELECT and INSERT only on their events, granted by the migrations, which run as postgres. Run by the postgres image on
-- first start (docker-compose.yml); scripts/infra/postgres.sh does the same without Docker.
CREATE DATABASE conduct_approval;
CREATE DATABASE conduct_violation;
CREATE DATABASE conduct_notification;
CREATE DATABASE conduct_reporting;
CREATE ROLE conduct_service LOGIN PASSWORD 'conduct_service';
