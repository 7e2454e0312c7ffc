-- The same tables as the embedded store's first migration, in PostgreSQL's types, and the claims that let several
-- instances share one store. Times are epoch milliseconds (UTC) in this project's tables.

-- One row per delivery (an event to one integration configuration), with its event's type and arrival and every
-- attempt, so that recording a delivered event is one insert.
CREATE TABLE deliveries (
    -- A digest of event id, event type, integration key and settings: the idempotency key. Never a setting value.
    id               VARCHAR(64)     NOT NULL PRIMARY KEY,
    event_id         VARCHAR(255)    NOT NULL,
    event_type       VARCHAR(64)     NOT NULL,
    received_at      BIGINT          NOT NULL,
    ordinal          INT             NOT NULL,
    integration      VARCHAR(100)    NOT NULL,
    status           VARCHAR(16)     NOT NULL,
    -- Calls of the integration so far, and how many of them the retry schedule made.
    attempts         INT             NOT NULL,
    rounds           INT             NOT NULL,
    updated_at       BIGINT          NOT NULL,
    next_attempt_at  BIGINT,
    -- Until when a running attempt holds the delivery: a second run of it (a scheduler reviving an execution it
    -- thinks dead) sends nothing while the claim lasts.
    claimed_until    BIGINT,
    -- Every attempt, oldest first, as a JSON array of {"at", "ms", "code", "type", "error"}.
    attempt_log      TEXT            NOT NULL,
    -- The request's settings for this integration, sealed with AES-GCM; NULL once the delivery cannot be retried.
    settings         BYTEA
);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_updated ON deliveries (updated_at);

-- The payload of an event while one of its deliveries may still be sent.
CREATE TABLE payloads (
    event_id     VARCHAR(255)    NOT NULL PRIMARY KEY,
    payload      TEXT            NOT NULL
);

CREATE TABLE store_meta (
    name    VARCHAR(64)     NOT NULL PRIMARY KEY,
    sealed  BYTEA           NOT NULL
);

-- Which instance is delivering an event to an integration inline, until when: a copy of the event that reaches
-- another instance meanwhile waits for the outcome instead of delivering it a second time. A claim outlives a dead
-- instance only until its time is up.
CREATE TABLE delivery_claims (
    id          VARCHAR(64)     NOT NULL PRIMARY KEY,
    until       BIGINT          NOT NULL
);

-- db-scheduler's table, as its documentation gives it for PostgreSQL.
CREATE TABLE scheduled_tasks (
    task_name             TEXT                      NOT NULL,
    task_instance         TEXT                      NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE  NOT NULL,
    picked                BOOLEAN                   NOT NULL,
    picked_by             TEXT,
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INT,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT                    NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
