-- Amazon Athena (Hive DDL, partition projection on date: no MSCK REPAIR, no crawler).
-- Generated from schemas/*.avsc for the Parquet lander's layout ({{lake}}/{table}/date=YYYY-MM-DD/part-*.parquet);
-- checked in CI by tests/FreshchatStream.Tests/Unit/Consumers/LakeRecipeTests.cs (every table, every column, the layout path).
-- Replace {{lake}} with the lake's root URI, e.g. s3://acme-lake/freshchat (no trailing slash).

CREATE DATABASE IF NOT EXISTS freshchat;

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.users_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `created_time` timestamp,
  `updated_time` timestamp,
  `email` string,
  `first_name` string,
  `last_name` string,
  `phone` string,
  `reference_id` string,
  `restore_id` string,
  `login_status` boolean,
  `org_contact_id` string,
  `avatar` string,
  `avatar_url` string,
  `properties` string,
  `social_profiles` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/users_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/users_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.conversations_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `conversation_id` string,
  `conversation_internal_id` string,
  `app_id` string,
  `status` string,
  `channel_id` string,
  `skill_id` string,
  `assigned_agent_id` string,
  `assigned_group_id` string,
  `assigned_org_agent_id` string,
  `created_by` string,
  `user_id` string,
  `org_contact_id` string,
  `url` string,
  `sla_policy_id` string,
  `sla_breached` boolean,
  `created_time` timestamp,
  `updated_time` timestamp,
  `priority` string,
  `properties` string,
  `agents` string,
  `users` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/conversations_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/conversations_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.agents_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `email` string,
  `first_name` string,
  `last_name` string,
  `phone` string,
  `biography` string,
  `avatar` string,
  `avatar_url` string,
  `groups` string,
  `freshid_group_ids` string,
  `freshid_uuid` string,
  `role_id` string,
  `role_name` string,
  `skill_id` string,
  `is_deactivated` boolean,
  `is_deleted` boolean,
  `availability_status` string,
  `agent_status` string,
  `agent_status_id` string,
  `agent_status_name` string,
  `routing_type` string,
  `agent_capacity` bigint,
  `login_status` boolean,
  `locale` string,
  `timezone` string,
  `social_profiles` string,
  `license_type` string,
  `scope` string,
  `org_contact_id` string,
  `created_time` timestamp,
  `freshchat_access` string,
  `round_robin_access` string,
  `get_ocr_available` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/agents_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/agents_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.groups_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `name` string,
  `description` string,
  `routing_type` string,
  `routing_logic` string,
  `chat_group_id` string,
  `agents` string,
  `standard_response_ids` string,
  `business_calendar_id` string,
  `sla_policy_ids` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/groups_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/groups_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.channels_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `name` string,
  `icon` string,
  `icon_url` string,
  `enabled` boolean,
  `public` boolean,
  `tags` string,
  `welcome_message` string,
  `locale` string,
  `updated_time` timestamp,
  `source` string,
  `assign_to_group` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/channels_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/channels_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.roles_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `name` string,
  `is_custom_role` boolean,
  `description` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/roles_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/roles_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.account_configuration_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `account_id` string,
  `app_id` string,
  `organisation_id` string,
  `organisation_domain` string,
  `account_domain` string,
  `bundle_id` string,
  `bundle_type` string,
  `plan_type` string,
  `datacenter` string,
  `web_chat_id` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/account_configuration_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/account_configuration_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.outbound_messages_history (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `message_id` string,
  `request_id` string,
  `provider` string,
  `status` string,
  `created_on` timestamp,
  `failure_code` string,
  `failure_reason` string,
  `from_phone_number` string,
  `to_phone_number` string,
  `from` string,
  `to` string,
  `data` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/outbound_messages_history/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/outbound_messages_history/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.messages (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `conversation_id` string,
  `created_time` timestamp,
  `app_id` string,
  `channel_id` string,
  `actor_type` string,
  `actor_id` string,
  `org_actor_id` string,
  `user_id` string,
  `message_type` string,
  `message_source` string,
  `interaction_id` string,
  `freshchat_conversation_id` string,
  `freshchat_channel_id` string,
  `text` string,
  `part_types` string,
  `in_reply_to_message_id` string,
  `message_parts` string,
  `reply_parts` string,
  `meta_data` string,
  `in_reply_to` string,
  `restrictResponse` boolean,
  `botsPrivateNote` boolean,
  `isBotsInput` boolean,
  `bots_input` boolean,
  `stepId` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/messages/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/messages/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.agent_availability (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `agent_id` string,
  `from` string,
  `to` string,
  `agent_status_id` string,
  `agent_status_name` string,
  `previous_agent_status_id` string,
  `previous_agent_status_name` string,
  `observed_at` timestamp,
  `previous_observed_at` timestamp,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/agent_availability/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/agent_availability/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.report_events (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `event` string,
  `window_start` timestamp,
  `window_end` timestamp,
  `row_number` bigint,
  `conversation_id` string,
  `agent_id` string,
  `user_id` string,
  `group_id` string,
  `row` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/report_events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/report_events/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.heartbeat (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `cycle_started_at` timestamp,
  `cycle_duration_ms` bigint,
  `events` bigint,
  `resources_succeeded` bigint,
  `resources_failed` bigint,
  `failed_resources` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/heartbeat/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/heartbeat/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.webhook_events (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `__event_id` string,
  `__op` string,
  `__deleted` boolean,
  `__captured_at` timestamp,
  `__source_ts` timestamp,
  `__account` string,
  `__endpoint` string,
  `id` string,
  `action` string,
  `actor_type` string,
  `actor_id` string,
  `action_time` timestamp,
  `conversation_id` string,
  `message_id` string,
  `payload_version` string,
  `payload` string,
  `raw_json` string
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/webhook_events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/webhook_events/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.users_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/users_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/users_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.conversations_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/conversations_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/conversations_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.agents_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/agents_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/agents_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.groups_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/groups_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/groups_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.channels_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/channels_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/channels_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.roles_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/roles_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/roles_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.account_configuration_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/account_configuration_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/account_configuration_tombstones/date=${date}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS freshchat.outbound_messages_tombstones (
  `_key` string,
  `_topic` string,
  `_partition` int,
  `_offset` bigint,
  `_timestamp` timestamp
)
PARTITIONED BY (`date` string)
STORED AS PARQUET
LOCATION '{{lake}}/outbound_messages_tombstones/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2020-01-01,NOW',
  'projection.date.interval' = '1',
  'projection.date.interval.unit' = 'DAYS',
  'storage.location.template' = '{{lake}}/outbound_messages_tombstones/date=${date}/'
);

-- Current state per entity: newest event per key wins, deletes and tombstones applied (the landers' rule).

CREATE OR REPLACE VIEW freshchat.users AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "created_time", "updated_time", "email", "first_name", "last_name", "phone", "reference_id", "restore_id", "login_status", "org_contact_id", "avatar", "avatar_url", "properties", "social_profiles", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.users_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.users_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.users_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.conversations AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "conversation_id", "conversation_internal_id", "app_id", "status", "channel_id", "skill_id", "assigned_agent_id", "assigned_group_id", "assigned_org_agent_id", "created_by", "user_id", "org_contact_id", "url", "sla_policy_id", "sla_breached", "created_time", "updated_time", "priority", "properties", "agents", "users", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.conversations_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.conversations_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.conversations_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.agents AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "email", "first_name", "last_name", "phone", "biography", "avatar", "avatar_url", "groups", "freshid_group_ids", "freshid_uuid", "role_id", "role_name", "skill_id", "is_deactivated", "is_deleted", "availability_status", "agent_status", "agent_status_id", "agent_status_name", "routing_type", "agent_capacity", "login_status", "locale", "timezone", "social_profiles", "license_type", "scope", "org_contact_id", "created_time", "freshchat_access", "round_robin_access", "get_ocr_available", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.agents_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.agents_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.agents_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.groups AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "description", "routing_type", "routing_logic", "chat_group_id", "agents", "standard_response_ids", "business_calendar_id", "sla_policy_ids", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.groups_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.groups_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.groups_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.channels AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "icon", "icon_url", "enabled", "public", "tags", "welcome_message", "locale", "updated_time", "source", "assign_to_group", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.channels_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.channels_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.channels_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.roles AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "id", "name", "is_custom_role", "description", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.roles_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.roles_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.roles_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.account_configuration AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "account_id", "app_id", "organisation_id", "organisation_domain", "account_domain", "bundle_id", "bundle_type", "plan_type", "datacenter", "web_chat_id", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.account_configuration_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.account_configuration_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.account_configuration_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));

CREATE OR REPLACE VIEW freshchat.outbound_messages AS
SELECT "_key", "__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint", "message_id", "request_id", "provider", "status", "created_on", "failure_code", "failure_reason", "from_phone_number", "to_phone_number", "from", "to", "data", "raw_json"
FROM (SELECT h.*, row_number() OVER (PARTITION BY "_key" ORDER BY "__captured_at" DESC, "_offset" DESC) AS rn FROM freshchat.outbound_messages_history h) l
WHERE l.rn = 1 AND l."__op" <> 'd'
  AND NOT EXISTS (SELECT 1 FROM freshchat.outbound_messages_tombstones t WHERE t."_key" = l."_key" AND t."_offset" > l."_offset"
      AND l."__captured_at" <= coalesce((SELECT max(d."__captured_at") FROM freshchat.outbound_messages_history d WHERE d."_key" = l."_key" AND d."__op" = 'd'), TIMESTAMP '9999-12-31 00:00:00'));
