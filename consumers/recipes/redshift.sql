-- Amazon Redshift: Spectrum external tables over the lake, and a MERGE into local current-state tables.
-- Generated from schemas/*.avsc for the Parquet lander's layout ({{lake}}/{table}/date=YYYY-MM-DD/part-*.parquet);
-- checked in CI by tests/FreshchatStream.Tests/Unit/Consumers/LakeRecipeTests.cs (every table, every column, the layout path).
-- Replace {{lake}} with the lake's root URI, e.g. s3://acme-lake/freshchat (no trailing slash).
-- Replace {{iam_role}} with the ARN of a role Redshift may assume to read the bucket and the Glue catalog.

CREATE EXTERNAL SCHEMA IF NOT EXISTS freshchat_lake
FROM DATA CATALOG DATABASE 'freshchat_lake' IAM_ROLE '{{iam_role}}'
CREATE EXTERNAL DATABASE IF NOT EXISTS;

CREATE SCHEMA IF NOT EXISTS freshchat;

CREATE EXTERNAL TABLE freshchat_lake.users_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "created_time" timestamp,
  "updated_time" timestamp,
  "email" varchar(65535),
  "first_name" varchar(65535),
  "last_name" varchar(65535),
  "phone" varchar(65535),
  "reference_id" varchar(65535),
  "restore_id" varchar(65535),
  "login_status" boolean,
  "org_contact_id" varchar(65535),
  "avatar" varchar(65535),
  "avatar_url" varchar(65535),
  "properties" varchar(65535),
  "social_profiles" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/users_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.conversations_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "conversation_id" varchar(65535),
  "conversation_internal_id" varchar(65535),
  "app_id" varchar(65535),
  "status" varchar(65535),
  "channel_id" varchar(65535),
  "skill_id" varchar(65535),
  "assigned_agent_id" varchar(65535),
  "assigned_group_id" varchar(65535),
  "assigned_org_agent_id" varchar(65535),
  "created_by" varchar(65535),
  "user_id" varchar(65535),
  "org_contact_id" varchar(65535),
  "url" varchar(65535),
  "sla_policy_id" varchar(65535),
  "sla_breached" boolean,
  "created_time" timestamp,
  "updated_time" timestamp,
  "priority" varchar(65535),
  "properties" varchar(65535),
  "agents" varchar(65535),
  "users" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/conversations_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.agents_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "email" varchar(65535),
  "first_name" varchar(65535),
  "last_name" varchar(65535),
  "phone" varchar(65535),
  "biography" varchar(65535),
  "avatar" varchar(65535),
  "avatar_url" varchar(65535),
  "groups" varchar(65535),
  "freshid_group_ids" varchar(65535),
  "freshid_uuid" varchar(65535),
  "role_id" varchar(65535),
  "role_name" varchar(65535),
  "skill_id" varchar(65535),
  "is_deactivated" boolean,
  "is_deleted" boolean,
  "availability_status" varchar(65535),
  "agent_status" varchar(65535),
  "agent_status_id" varchar(65535),
  "agent_status_name" varchar(65535),
  "routing_type" varchar(65535),
  "agent_capacity" bigint,
  "login_status" boolean,
  "locale" varchar(65535),
  "timezone" varchar(65535),
  "social_profiles" varchar(65535),
  "license_type" varchar(65535),
  "scope" varchar(65535),
  "org_contact_id" varchar(65535),
  "created_time" timestamp,
  "freshchat_access" varchar(65535),
  "round_robin_access" varchar(65535),
  "get_ocr_available" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/agents_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.groups_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "description" varchar(65535),
  "routing_type" varchar(65535),
  "routing_logic" varchar(65535),
  "chat_group_id" varchar(65535),
  "agents" varchar(65535),
  "standard_response_ids" varchar(65535),
  "business_calendar_id" varchar(65535),
  "sla_policy_ids" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/groups_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.channels_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "icon" varchar(65535),
  "icon_url" varchar(65535),
  "enabled" boolean,
  "public" boolean,
  "tags" varchar(65535),
  "welcome_message" varchar(65535),
  "locale" varchar(65535),
  "updated_time" timestamp,
  "source" varchar(65535),
  "assign_to_group" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/channels_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.roles_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "is_custom_role" boolean,
  "description" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/roles_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.account_configuration_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "account_id" varchar(65535),
  "app_id" varchar(65535),
  "organisation_id" varchar(65535),
  "organisation_domain" varchar(65535),
  "account_domain" varchar(65535),
  "bundle_id" varchar(65535),
  "bundle_type" varchar(65535),
  "plan_type" varchar(65535),
  "datacenter" varchar(65535),
  "web_chat_id" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/account_configuration_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.outbound_messages_history (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "message_id" varchar(65535),
  "request_id" varchar(65535),
  "provider" varchar(65535),
  "status" varchar(65535),
  "created_on" timestamp,
  "failure_code" varchar(65535),
  "failure_reason" varchar(65535),
  "from_phone_number" varchar(65535),
  "to_phone_number" varchar(65535),
  "from" varchar(65535),
  "to" varchar(65535),
  "data" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/outbound_messages_history/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.messages (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "conversation_id" varchar(65535),
  "created_time" timestamp,
  "app_id" varchar(65535),
  "channel_id" varchar(65535),
  "actor_type" varchar(65535),
  "actor_id" varchar(65535),
  "org_actor_id" varchar(65535),
  "user_id" varchar(65535),
  "message_type" varchar(65535),
  "message_source" varchar(65535),
  "interaction_id" varchar(65535),
  "freshchat_conversation_id" varchar(65535),
  "freshchat_channel_id" varchar(65535),
  "text" varchar(65535),
  "part_types" varchar(65535),
  "in_reply_to_message_id" varchar(65535),
  "message_parts" varchar(65535),
  "reply_parts" varchar(65535),
  "meta_data" varchar(65535),
  "in_reply_to" varchar(65535),
  "restrictResponse" boolean,
  "botsPrivateNote" boolean,
  "isBotsInput" boolean,
  "bots_input" boolean,
  "stepId" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/messages/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.agent_availability (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "agent_id" varchar(65535),
  "from" varchar(65535),
  "to" varchar(65535),
  "agent_status_id" varchar(65535),
  "agent_status_name" varchar(65535),
  "previous_agent_status_id" varchar(65535),
  "previous_agent_status_name" varchar(65535),
  "observed_at" timestamp,
  "previous_observed_at" timestamp,
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/agent_availability/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.report_events (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "event" varchar(65535),
  "window_start" timestamp,
  "window_end" timestamp,
  "row_number" bigint,
  "conversation_id" varchar(65535),
  "agent_id" varchar(65535),
  "user_id" varchar(65535),
  "group_id" varchar(65535),
  "row" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/report_events/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.heartbeat (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "cycle_started_at" timestamp,
  "cycle_duration_ms" bigint,
  "events" bigint,
  "resources_succeeded" bigint,
  "resources_failed" bigint,
  "failed_resources" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/heartbeat/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.webhook_events (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "action" varchar(65535),
  "actor_type" varchar(65535),
  "actor_id" varchar(65535),
  "action_time" timestamp,
  "conversation_id" varchar(65535),
  "message_id" varchar(65535),
  "payload_version" varchar(65535),
  "payload" varchar(65535),
  "raw_json" varchar(65535)
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/webhook_events/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.users_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/users_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.conversations_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/conversations_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.agents_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/agents_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.groups_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/groups_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.channels_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/channels_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.roles_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/roles_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.account_configuration_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/account_configuration_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

CREATE EXTERNAL TABLE freshchat_lake.outbound_messages_tombstones (
  "_key" varchar(65535),
  "_topic" varchar(65535),
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp
)
PARTITIONED BY ("date" varchar(10))
STORED AS PARQUET
LOCATION '{{lake}}/outbound_messages_tombstones/'
TABLE PROPERTIES ('surplus_char_handling' = 'TRUNCATE');

-- Spectrum has no partition projection: register each new day (a daily job, or a Glue crawler), e.g.
-- ALTER TABLE freshchat_lake.users_history ADD IF NOT EXISTS PARTITION ("date" = '2025-07-04') LOCATION '{{lake}}/users_history/date=2025-07-04/';

-- Local current-state tables and their refresh: newest event per key wins, deletes and tombstones applied.

CREATE TABLE IF NOT EXISTS freshchat.users (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "created_time" timestamp,
  "updated_time" timestamp,
  "email" varchar(65535),
  "first_name" varchar(65535),
  "last_name" varchar(65535),
  "phone" varchar(65535),
  "reference_id" varchar(65535),
  "restore_id" varchar(65535),
  "login_status" boolean,
  "org_contact_id" varchar(65535),
  "avatar" varchar(65535),
  "avatar_url" varchar(65535),
  "properties" varchar(65535),
  "social_profiles" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE users_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "created_time", "updated_time", "email", "first_name", "last_name", "phone", "reference_id", "restore_id", "login_status", "org_contact_id", "avatar", "avatar_url", "properties", "social_profiles", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.users_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE users_latest SET "_last_op" = 'd'
FROM freshchat_lake.users_tombstones t
WHERE t."_key" = users_latest."_key" AND t."_offset" > users_latest."_offset"
  AND users_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.users_history d WHERE d."_key" = users_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.users USING users_latest l WHERE freshchat.users."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.users."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.users USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "created_time", "updated_time", "email", "first_name", "last_name", "phone", "reference_id", "restore_id", "login_status", "org_contact_id", "avatar", "avatar_url", "properties", "social_profiles", "raw_json" FROM users_latest WHERE "_last_op" <> 'd') s
ON freshchat.users."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE users_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.conversations (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "conversation_id" varchar(65535),
  "conversation_internal_id" varchar(65535),
  "app_id" varchar(65535),
  "status" varchar(65535),
  "channel_id" varchar(65535),
  "skill_id" varchar(65535),
  "assigned_agent_id" varchar(65535),
  "assigned_group_id" varchar(65535),
  "assigned_org_agent_id" varchar(65535),
  "created_by" varchar(65535),
  "user_id" varchar(65535),
  "org_contact_id" varchar(65535),
  "url" varchar(65535),
  "sla_policy_id" varchar(65535),
  "sla_breached" boolean,
  "created_time" timestamp,
  "updated_time" timestamp,
  "priority" varchar(65535),
  "properties" varchar(65535),
  "agents" varchar(65535),
  "users" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE conversations_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "conversation_id", "conversation_internal_id", "app_id", "status", "channel_id", "skill_id", "assigned_agent_id", "assigned_group_id", "assigned_org_agent_id", "created_by", "user_id", "org_contact_id", "url", "sla_policy_id", "sla_breached", "created_time", "updated_time", "priority", "properties", "agents", "users", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.conversations_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE conversations_latest SET "_last_op" = 'd'
FROM freshchat_lake.conversations_tombstones t
WHERE t."_key" = conversations_latest."_key" AND t."_offset" > conversations_latest."_offset"
  AND conversations_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.conversations_history d WHERE d."_key" = conversations_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.conversations USING conversations_latest l WHERE freshchat.conversations."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.conversations."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.conversations USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "conversation_id", "conversation_internal_id", "app_id", "status", "channel_id", "skill_id", "assigned_agent_id", "assigned_group_id", "assigned_org_agent_id", "created_by", "user_id", "org_contact_id", "url", "sla_policy_id", "sla_breached", "created_time", "updated_time", "priority", "properties", "agents", "users", "raw_json" FROM conversations_latest WHERE "_last_op" <> 'd') s
ON freshchat.conversations."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE conversations_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.agents (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "email" varchar(65535),
  "first_name" varchar(65535),
  "last_name" varchar(65535),
  "phone" varchar(65535),
  "biography" varchar(65535),
  "avatar" varchar(65535),
  "avatar_url" varchar(65535),
  "groups" varchar(65535),
  "freshid_group_ids" varchar(65535),
  "freshid_uuid" varchar(65535),
  "role_id" varchar(65535),
  "role_name" varchar(65535),
  "skill_id" varchar(65535),
  "is_deactivated" boolean,
  "is_deleted" boolean,
  "availability_status" varchar(65535),
  "agent_status" varchar(65535),
  "agent_status_id" varchar(65535),
  "agent_status_name" varchar(65535),
  "routing_type" varchar(65535),
  "agent_capacity" bigint,
  "login_status" boolean,
  "locale" varchar(65535),
  "timezone" varchar(65535),
  "social_profiles" varchar(65535),
  "license_type" varchar(65535),
  "scope" varchar(65535),
  "org_contact_id" varchar(65535),
  "created_time" timestamp,
  "freshchat_access" varchar(65535),
  "round_robin_access" varchar(65535),
  "get_ocr_available" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE agents_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "email", "first_name", "last_name", "phone", "biography", "avatar", "avatar_url", "groups", "freshid_group_ids", "freshid_uuid", "role_id", "role_name", "skill_id", "is_deactivated", "is_deleted", "availability_status", "agent_status", "agent_status_id", "agent_status_name", "routing_type", "agent_capacity", "login_status", "locale", "timezone", "social_profiles", "license_type", "scope", "org_contact_id", "created_time", "freshchat_access", "round_robin_access", "get_ocr_available", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.agents_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE agents_latest SET "_last_op" = 'd'
FROM freshchat_lake.agents_tombstones t
WHERE t."_key" = agents_latest."_key" AND t."_offset" > agents_latest."_offset"
  AND agents_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.agents_history d WHERE d."_key" = agents_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.agents USING agents_latest l WHERE freshchat.agents."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.agents."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.agents USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "email", "first_name", "last_name", "phone", "biography", "avatar", "avatar_url", "groups", "freshid_group_ids", "freshid_uuid", "role_id", "role_name", "skill_id", "is_deactivated", "is_deleted", "availability_status", "agent_status", "agent_status_id", "agent_status_name", "routing_type", "agent_capacity", "login_status", "locale", "timezone", "social_profiles", "license_type", "scope", "org_contact_id", "created_time", "freshchat_access", "round_robin_access", "get_ocr_available", "raw_json" FROM agents_latest WHERE "_last_op" <> 'd') s
ON freshchat.agents."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE agents_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.groups (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "description" varchar(65535),
  "routing_type" varchar(65535),
  "routing_logic" varchar(65535),
  "chat_group_id" varchar(65535),
  "agents" varchar(65535),
  "standard_response_ids" varchar(65535),
  "business_calendar_id" varchar(65535),
  "sla_policy_ids" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE groups_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "description", "routing_type", "routing_logic", "chat_group_id", "agents", "standard_response_ids", "business_calendar_id", "sla_policy_ids", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.groups_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE groups_latest SET "_last_op" = 'd'
FROM freshchat_lake.groups_tombstones t
WHERE t."_key" = groups_latest."_key" AND t."_offset" > groups_latest."_offset"
  AND groups_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.groups_history d WHERE d."_key" = groups_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.groups USING groups_latest l WHERE freshchat.groups."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.groups."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.groups USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "description", "routing_type", "routing_logic", "chat_group_id", "agents", "standard_response_ids", "business_calendar_id", "sla_policy_ids", "raw_json" FROM groups_latest WHERE "_last_op" <> 'd') s
ON freshchat.groups."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE groups_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.channels (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "icon" varchar(65535),
  "icon_url" varchar(65535),
  "enabled" boolean,
  "public" boolean,
  "tags" varchar(65535),
  "welcome_message" varchar(65535),
  "locale" varchar(65535),
  "updated_time" timestamp,
  "source" varchar(65535),
  "assign_to_group" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE channels_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "icon", "icon_url", "enabled", "public", "tags", "welcome_message", "locale", "updated_time", "source", "assign_to_group", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.channels_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE channels_latest SET "_last_op" = 'd'
FROM freshchat_lake.channels_tombstones t
WHERE t."_key" = channels_latest."_key" AND t."_offset" > channels_latest."_offset"
  AND channels_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.channels_history d WHERE d."_key" = channels_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.channels USING channels_latest l WHERE freshchat.channels."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.channels."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.channels USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "icon", "icon_url", "enabled", "public", "tags", "welcome_message", "locale", "updated_time", "source", "assign_to_group", "raw_json" FROM channels_latest WHERE "_last_op" <> 'd') s
ON freshchat.channels."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE channels_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.roles (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "id" varchar(65535),
  "name" varchar(65535),
  "is_custom_role" boolean,
  "description" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE roles_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "is_custom_role", "description", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.roles_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE roles_latest SET "_last_op" = 'd'
FROM freshchat_lake.roles_tombstones t
WHERE t."_key" = roles_latest."_key" AND t."_offset" > roles_latest."_offset"
  AND roles_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.roles_history d WHERE d."_key" = roles_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.roles USING roles_latest l WHERE freshchat.roles."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.roles."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.roles USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "is_custom_role", "description", "raw_json" FROM roles_latest WHERE "_last_op" <> 'd') s
ON freshchat.roles."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE roles_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.account_configuration (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "account_id" varchar(65535),
  "app_id" varchar(65535),
  "organisation_id" varchar(65535),
  "organisation_domain" varchar(65535),
  "account_domain" varchar(65535),
  "bundle_id" varchar(65535),
  "bundle_type" varchar(65535),
  "plan_type" varchar(65535),
  "datacenter" varchar(65535),
  "web_chat_id" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE account_configuration_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "account_id", "app_id", "organisation_id", "organisation_domain", "account_domain", "bundle_id", "bundle_type", "plan_type", "datacenter", "web_chat_id", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.account_configuration_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE account_configuration_latest SET "_last_op" = 'd'
FROM freshchat_lake.account_configuration_tombstones t
WHERE t."_key" = account_configuration_latest."_key" AND t."_offset" > account_configuration_latest."_offset"
  AND account_configuration_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.account_configuration_history d WHERE d."_key" = account_configuration_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.account_configuration USING account_configuration_latest l WHERE freshchat.account_configuration."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.account_configuration."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.account_configuration USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "account_id", "app_id", "organisation_id", "organisation_domain", "account_domain", "bundle_id", "bundle_type", "plan_type", "datacenter", "web_chat_id", "raw_json" FROM account_configuration_latest WHERE "_last_op" <> 'd') s
ON freshchat.account_configuration."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE account_configuration_latest;
END;

CREATE TABLE IF NOT EXISTS freshchat.outbound_messages (
  "_key" varchar(65535),
  "__event_id" varchar(65535),
  "__op" varchar(65535),
  "__deleted" boolean,
  "__captured_at" timestamp,
  "__source_ts" timestamp,
  "__account" varchar(65535),
  "__endpoint" varchar(65535),
  "message_id" varchar(65535),
  "request_id" varchar(65535),
  "provider" varchar(65535),
  "status" varchar(65535),
  "created_on" timestamp,
  "failure_code" varchar(65535),
  "failure_reason" varchar(65535),
  "from_phone_number" varchar(65535),
  "to_phone_number" varchar(65535),
  "from" varchar(65535),
  "to" varchar(65535),
  "data" varchar(65535),
  "raw_json" varchar(65535)
);

BEGIN;
CREATE TEMP TABLE outbound_messages_latest AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "message_id", "request_id", "provider", "status", "created_on", "failure_code", "failure_reason", "from_phone_number", "to_phone_number", "from", "to", "data", "raw_json", "_offset", "__op" AS "_last_op"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat_lake.outbound_messages_history h) l
WHERE l.rn = 1;
-- a tombstone read after the newest event deletes the key (unless it was re-created after its last d)
UPDATE outbound_messages_latest SET "_last_op" = 'd'
FROM freshchat_lake.outbound_messages_tombstones t
WHERE t."_key" = outbound_messages_latest."_key" AND t."_offset" > outbound_messages_latest."_offset"
  AND outbound_messages_latest."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat_lake.outbound_messages_history d WHERE d."_key" = outbound_messages_latest."_key" AND d."__op" = 'd'), '9999-12-31'::timestamp);
DELETE FROM freshchat.outbound_messages USING outbound_messages_latest l WHERE freshchat.outbound_messages."_key" = l."_key" AND l."_last_op" = 'd' AND freshchat.outbound_messages."__captured_at" <= l."__captured_at";
MERGE INTO freshchat.outbound_messages USING (SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "message_id", "request_id", "provider", "status", "created_on", "failure_code", "failure_reason", "from_phone_number", "to_phone_number", "from", "to", "data", "raw_json" FROM outbound_messages_latest WHERE "_last_op" <> 'd') s
ON freshchat.outbound_messages."_key" = s."_key"
REMOVE DUPLICATES;
DROP TABLE outbound_messages_latest;
END;
