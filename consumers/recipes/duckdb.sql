-- DuckDB (or MotherDuck) over the Parquet lake, local or mounted: history deduplicated on read, current state as
-- written by `freshchat-landers compact`. union_by_name lines up files written before and after a schema added a
-- field (older files read NULL for it); hive_partitioning adds the `date` column from the folder names.
-- Generated from schemas/*.avsc for the Parquet lander's layout ({{lake}}/{table}/date=YYYY-MM-DD/part-*.parquet);
-- checked in CI by tests/FreshchatStream.Tests/Unit/Consumers/LakeRecipeTests.cs (every table, every column, the layout path).
-- Replace {{lake}} with the lake's root URI, e.g. s3://acme-lake/freshchat (no trailing slash).

CREATE OR REPLACE VIEW users_history AS
SELECT * FROM read_parquet('{{lake}}/users_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW conversations_history AS
SELECT * FROM read_parquet('{{lake}}/conversations_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW agents_history AS
SELECT * FROM read_parquet('{{lake}}/agents_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW groups_history AS
SELECT * FROM read_parquet('{{lake}}/groups_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW channels_history AS
SELECT * FROM read_parquet('{{lake}}/channels_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW roles_history AS
SELECT * FROM read_parquet('{{lake}}/roles_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW account_configuration_history AS
SELECT * FROM read_parquet('{{lake}}/account_configuration_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW outbound_messages_history AS
SELECT * FROM read_parquet('{{lake}}/outbound_messages_history/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW messages AS
SELECT * FROM read_parquet('{{lake}}/messages/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW agent_availability AS
SELECT * FROM read_parquet('{{lake}}/agent_availability/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW report_events AS
SELECT * FROM read_parquet('{{lake}}/report_events/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW heartbeat AS
SELECT * FROM read_parquet('{{lake}}/heartbeat/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW webhook_events AS
SELECT * FROM read_parquet('{{lake}}/webhook_events/*/*.parquet', union_by_name = true, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY __event_id ORDER BY _partition, _offset) = 1;

CREATE OR REPLACE VIEW users AS
SELECT * FROM read_parquet('{{lake}}/current/users.parquet');

CREATE OR REPLACE VIEW conversations AS
SELECT * FROM read_parquet('{{lake}}/current/conversations.parquet');

CREATE OR REPLACE VIEW agents AS
SELECT * FROM read_parquet('{{lake}}/current/agents.parquet');

CREATE OR REPLACE VIEW groups AS
SELECT * FROM read_parquet('{{lake}}/current/groups.parquet');

CREATE OR REPLACE VIEW channels AS
SELECT * FROM read_parquet('{{lake}}/current/channels.parquet');

CREATE OR REPLACE VIEW roles AS
SELECT * FROM read_parquet('{{lake}}/current/roles.parquet');

CREATE OR REPLACE VIEW account_configuration AS
SELECT * FROM read_parquet('{{lake}}/current/account_configuration.parquet');

CREATE OR REPLACE VIEW outbound_messages AS
SELECT * FROM read_parquet('{{lake}}/current/outbound_messages.parquet');
