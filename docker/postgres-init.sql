-- Run once, by the postgres image, when its data volume is first created: one database per service (two services never
-- share one; the coordinators of one cluster will).
CREATE DATABASE twophase_coordinator;
CREATE DATABASE twophase_bank_a;
CREATE DATABASE twophase_bank_b;
