-- Databricks: Auto Loader (streaming tables over read_files) into Delta history tables, and a MERGE into Delta
-- current-state tables. Run in a Databricks SQL warehouse or a DLT pipeline; the MERGEs on a schedule (a job).
-- Generated from schemas/*.avsc for the Parquet lander's layout ({{lake}}/{table}/date=YYYY-MM-DD/part-*.parquet);
-- checked in CI by tests/FreshchatStream.Tests/Unit/Consumers/LakeRecipeTests.cs (every table, every column, the layout path).
-- Replace {{lake}} with the lake's root URI, e.g. s3://acme-lake/freshchat (no trailing slash).

CREATE SCHEMA IF NOT EXISTS freshchat;

CREATE OR REFRESH STREAMING TABLE freshchat.users_history
AS SELECT * FROM STREAM read_files('{{lake}}/users_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.conversations_history
AS SELECT * FROM STREAM read_files('{{lake}}/conversations_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.agents_history
AS SELECT * FROM STREAM read_files('{{lake}}/agents_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.groups_history
AS SELECT * FROM STREAM read_files('{{lake}}/groups_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.channels_history
AS SELECT * FROM STREAM read_files('{{lake}}/channels_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.roles_history
AS SELECT * FROM STREAM read_files('{{lake}}/roles_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.account_configuration_history
AS SELECT * FROM STREAM read_files('{{lake}}/account_configuration_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.outbound_messages_history
AS SELECT * FROM STREAM read_files('{{lake}}/outbound_messages_history/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.messages
AS SELECT * FROM STREAM read_files('{{lake}}/messages/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.agent_availability
AS SELECT * FROM STREAM read_files('{{lake}}/agent_availability/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.report_events
AS SELECT * FROM STREAM read_files('{{lake}}/report_events/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.heartbeat
AS SELECT * FROM STREAM read_files('{{lake}}/heartbeat/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.webhook_events
AS SELECT * FROM STREAM read_files('{{lake}}/webhook_events/', format => 'parquet', schemaEvolutionMode => 'addNewColumns');

CREATE OR REFRESH STREAMING TABLE freshchat.users_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/users_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.conversations_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/conversations_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.agents_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/agents_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.groups_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/groups_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.channels_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/channels_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.roles_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/roles_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.account_configuration_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/account_configuration_tombstones/', format => 'parquet');

CREATE OR REFRESH STREAMING TABLE freshchat.outbound_messages_tombstones
AS SELECT * FROM STREAM read_files('{{lake}}/outbound_messages_tombstones/', format => 'parquet');

-- Current state: newest event per key wins (by __captured_at, then offset), deletes and tombstones applied.

CREATE TABLE IF NOT EXISTS freshchat.users AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.users_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.users AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.users_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.users_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.users_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.conversations AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.conversations_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.conversations AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.conversations_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.conversations_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.conversations_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.agents AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.agents_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.agents AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.agents_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.agents_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.agents_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.groups AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.groups_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.groups AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.groups_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.groups_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.groups_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.channels AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.channels_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.channels AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.channels_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.channels_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.channels_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.roles AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.roles_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.roles AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.roles_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.roles_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.roles_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.account_configuration AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.account_configuration_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.account_configuration AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.account_configuration_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.account_configuration_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.account_configuration_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;

CREATE TABLE IF NOT EXISTS freshchat.outbound_messages AS SELECT * EXCEPT (_topic, _partition, _offset, `date`) FROM freshchat.outbound_messages_history WHERE false;

MERGE WITH SCHEMA EVOLUTION INTO freshchat.outbound_messages AS c
USING (
  -- the newest event per key; __op becomes 'd' when a later tombstone deleted the key
  SELECT l.* EXCEPT (_offset, rn, __op),
         CASE WHEN EXISTS (SELECT 1 FROM freshchat.outbound_messages_tombstones t WHERE t._key = l._key AND t._offset > l._offset
             AND l.__captured_at <= coalesce((SELECT max(d.__captured_at) FROM freshchat.outbound_messages_history d WHERE d._key = l._key AND d.__op = 'd'), TIMESTAMP '9999-12-31'))
           THEN 'd' ELSE l.__op END AS __op
  FROM (SELECT * EXCEPT (_topic, _partition, `date`), row_number() OVER (PARTITION BY _key ORDER BY __captured_at DESC, _offset DESC) AS rn FROM freshchat.outbound_messages_history) l
  WHERE l.rn = 1
) AS s
ON c._key = s._key
WHEN MATCHED AND s.__op = 'd' AND s.__captured_at >= c.__captured_at THEN DELETE
WHEN MATCHED AND s.__captured_at >= c.__captured_at THEN UPDATE SET *
WHEN NOT MATCHED AND s.__op <> 'd' THEN INSERT *;
