-- Trino, Hive connector (catalog hive; any metastore, Glue included).
-- Generated from schemas/*.avsc for the Parquet lander's layout ({{lake}}/{table}/date=YYYY-MM-DD/part-*.parquet);
-- checked in CI by tests/FreshchatStream.Tests/Unit/Consumers/LakeRecipeTests.cs (every table, every column, the layout path).
-- Replace {{lake}} with the lake's root URI, e.g. s3://acme-lake/freshchat (no trailing slash).

CREATE SCHEMA IF NOT EXISTS hive.freshchat;

CREATE TABLE IF NOT EXISTS hive.freshchat.users_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "created_time" timestamp(3),
  "updated_time" timestamp(3),
  "email" varchar,
  "first_name" varchar,
  "last_name" varchar,
  "phone" varchar,
  "reference_id" varchar,
  "restore_id" varchar,
  "login_status" boolean,
  "org_contact_id" varchar,
  "avatar" varchar,
  "avatar_url" varchar,
  "properties" varchar,
  "social_profiles" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/users_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'users_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.conversations_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "conversation_id" varchar,
  "conversation_internal_id" varchar,
  "app_id" varchar,
  "status" varchar,
  "channel_id" varchar,
  "skill_id" varchar,
  "assigned_agent_id" varchar,
  "assigned_group_id" varchar,
  "assigned_org_agent_id" varchar,
  "created_by" varchar,
  "user_id" varchar,
  "org_contact_id" varchar,
  "url" varchar,
  "sla_policy_id" varchar,
  "sla_breached" boolean,
  "created_time" timestamp(3),
  "updated_time" timestamp(3),
  "priority" varchar,
  "properties" varchar,
  "agents" varchar,
  "users" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/conversations_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'conversations_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.agents_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "email" varchar,
  "first_name" varchar,
  "last_name" varchar,
  "phone" varchar,
  "biography" varchar,
  "avatar" varchar,
  "avatar_url" varchar,
  "groups" varchar,
  "freshid_group_ids" varchar,
  "freshid_uuid" varchar,
  "role_id" varchar,
  "role_name" varchar,
  "skill_id" varchar,
  "is_deactivated" boolean,
  "is_deleted" boolean,
  "availability_status" varchar,
  "agent_status" varchar,
  "agent_status_id" varchar,
  "agent_status_name" varchar,
  "routing_type" varchar,
  "agent_capacity" bigint,
  "login_status" boolean,
  "locale" varchar,
  "timezone" varchar,
  "social_profiles" varchar,
  "license_type" varchar,
  "scope" varchar,
  "org_contact_id" varchar,
  "created_time" timestamp(3),
  "freshchat_access" varchar,
  "round_robin_access" varchar,
  "get_ocr_available" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/agents_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'agents_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.groups_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "name" varchar,
  "description" varchar,
  "routing_type" varchar,
  "routing_logic" varchar,
  "chat_group_id" varchar,
  "agents" varchar,
  "standard_response_ids" varchar,
  "business_calendar_id" varchar,
  "sla_policy_ids" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/groups_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'groups_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.channels_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "name" varchar,
  "icon" varchar,
  "icon_url" varchar,
  "enabled" boolean,
  "public" boolean,
  "tags" varchar,
  "welcome_message" varchar,
  "locale" varchar,
  "updated_time" timestamp(3),
  "source" varchar,
  "assign_to_group" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/channels_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'channels_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.roles_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "name" varchar,
  "is_custom_role" boolean,
  "description" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/roles_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'roles_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.account_configuration_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "account_id" varchar,
  "app_id" varchar,
  "organisation_id" varchar,
  "organisation_domain" varchar,
  "account_domain" varchar,
  "bundle_id" varchar,
  "bundle_type" varchar,
  "plan_type" varchar,
  "datacenter" varchar,
  "web_chat_id" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/account_configuration_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'account_configuration_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.outbound_messages_history (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "message_id" varchar,
  "request_id" varchar,
  "provider" varchar,
  "status" varchar,
  "created_on" timestamp(3),
  "failure_code" varchar,
  "failure_reason" varchar,
  "from_phone_number" varchar,
  "to_phone_number" varchar,
  "from" varchar,
  "to" varchar,
  "data" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/outbound_messages_history', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'outbound_messages_history', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.messages (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "conversation_id" varchar,
  "created_time" timestamp(3),
  "app_id" varchar,
  "channel_id" varchar,
  "actor_type" varchar,
  "actor_id" varchar,
  "org_actor_id" varchar,
  "user_id" varchar,
  "message_type" varchar,
  "message_source" varchar,
  "interaction_id" varchar,
  "freshchat_conversation_id" varchar,
  "freshchat_channel_id" varchar,
  "text" varchar,
  "part_types" varchar,
  "in_reply_to_message_id" varchar,
  "message_parts" varchar,
  "reply_parts" varchar,
  "meta_data" varchar,
  "in_reply_to" varchar,
  "restrictResponse" boolean,
  "botsPrivateNote" boolean,
  "isBotsInput" boolean,
  "bots_input" boolean,
  "stepId" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/messages', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'messages', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.agent_availability (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "agent_id" varchar,
  "from" varchar,
  "to" varchar,
  "agent_status_id" varchar,
  "agent_status_name" varchar,
  "previous_agent_status_id" varchar,
  "previous_agent_status_name" varchar,
  "observed_at" timestamp(3),
  "previous_observed_at" timestamp(3),
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/agent_availability', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'agent_availability', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.report_events (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "event" varchar,
  "window_start" timestamp(3),
  "window_end" timestamp(3),
  "row_number" bigint,
  "conversation_id" varchar,
  "agent_id" varchar,
  "user_id" varchar,
  "group_id" varchar,
  "row" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/report_events', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'report_events', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.heartbeat (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "cycle_started_at" timestamp(3),
  "cycle_duration_ms" bigint,
  "events" bigint,
  "resources_succeeded" bigint,
  "resources_failed" bigint,
  "failed_resources" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/heartbeat', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'heartbeat', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.webhook_events (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "__event_id" varchar,
  "__op" varchar,
  "__deleted" boolean,
  "__captured_at" timestamp(3),
  "__source_ts" timestamp(3),
  "__account" varchar,
  "__endpoint" varchar,
  "id" varchar,
  "action" varchar,
  "actor_type" varchar,
  "actor_id" varchar,
  "action_time" timestamp(3),
  "conversation_id" varchar,
  "message_id" varchar,
  "payload_version" varchar,
  "payload" varchar,
  "raw_json" varchar,
  "date" varchar
)
WITH (external_location = '{{lake}}/webhook_events', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'webhook_events', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.users_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/users_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'users_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.conversations_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/conversations_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'conversations_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.agents_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/agents_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'agents_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.groups_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/groups_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'groups_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.channels_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/channels_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'channels_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.roles_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/roles_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'roles_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.account_configuration_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/account_configuration_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'account_configuration_tombstones', 'ADD');

CREATE TABLE IF NOT EXISTS hive.freshchat.outbound_messages_tombstones (
  "_key" varchar,
  "_topic" varchar,
  "_partition" integer,
  "_offset" bigint,
  "_timestamp" timestamp(3),
  "date" varchar
)
WITH (external_location = '{{lake}}/outbound_messages_tombstones', format = 'PARQUET', partitioned_by = ARRAY['date']);
CALL hive.system.sync_partition_metadata('freshchat', 'outbound_messages_tombstones', 'ADD');

-- Current state per entity (run sync_partition_metadata again, or on a schedule, to see new days).

CREATE OR REPLACE VIEW hive.freshchat.users AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "created_time", "updated_time", "email", "first_name", "last_name", "phone", "reference_id", "restore_id", "login_status", "org_contact_id", "avatar", "avatar_url", "properties", "social_profiles", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.users_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.users_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.users_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.conversations AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "conversation_id", "conversation_internal_id", "app_id", "status", "channel_id", "skill_id", "assigned_agent_id", "assigned_group_id", "assigned_org_agent_id", "created_by", "user_id", "org_contact_id", "url", "sla_policy_id", "sla_breached", "created_time", "updated_time", "priority", "properties", "agents", "users", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.conversations_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.conversations_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.conversations_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.agents AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "email", "first_name", "last_name", "phone", "biography", "avatar", "avatar_url", "groups", "freshid_group_ids", "freshid_uuid", "role_id", "role_name", "skill_id", "is_deactivated", "is_deleted", "availability_status", "agent_status", "agent_status_id", "agent_status_name", "routing_type", "agent_capacity", "login_status", "locale", "timezone", "social_profiles", "license_type", "scope", "org_contact_id", "created_time", "freshchat_access", "round_robin_access", "get_ocr_available", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.agents_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.agents_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.agents_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.groups AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "description", "routing_type", "routing_logic", "chat_group_id", "agents", "standard_response_ids", "business_calendar_id", "sla_policy_ids", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.groups_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.groups_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.groups_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.channels AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "icon", "icon_url", "enabled", "public", "tags", "welcome_message", "locale", "updated_time", "source", "assign_to_group", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.channels_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.channels_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.channels_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.roles AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "is_custom_role", "description", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.roles_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.roles_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.roles_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.account_configuration AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "account_id", "app_id", "organisation_id", "organisation_domain", "account_domain", "bundle_id", "bundle_type", "plan_type", "datacenter", "web_chat_id", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.account_configuration_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.account_configuration_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.account_configuration_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW hive.freshchat.outbound_messages AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "message_id", "request_id", "provider", "status", "created_on", "failure_code", "failure_reason", "from_phone_number", "to_phone_number", "from", "to", "data", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM hive.freshchat.outbound_messages_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM hive.freshchat.outbound_messages_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM hive.freshchat.outbound_messages_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));
