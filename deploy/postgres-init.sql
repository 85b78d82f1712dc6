-- Run once by the postgres container on an empty data volume
-- (mounted into /docker-entrypoint-initdb.d): one database per service.
CREATE DATABASE enterprise;
CREATE DATABASE identity;
CREATE DATABASE "authorization";  -- quoted: AUTHORIZATION is a reserved word
CREATE DATABASE business;
