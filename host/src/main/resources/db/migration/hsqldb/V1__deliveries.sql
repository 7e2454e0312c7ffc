-- Deliveries with every attempt, the payloads of pending ones, the queue of db-scheduler, and the check value of the
-- key that seals pending settings. Times are epoch milliseconds (UTC) in this project's tables.

-- One row per delivery (an event to one integration configuration), with its event's type and arrival and every
-- attempt, so that recording a delivered event is one insert.
CREATE CACHED TABLE deliveries (
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
    -- Every attempt, oldest first, as a JSON array of {"at", "ms", "code", "type", "error"}.
    attempt_log      VARCHAR(1048576) NOT NULL,
    -- The request's settings for this integration, sealed with AES-GCM; NULL once the delivery cannot be retried.
    settings         VARBINARY(1048576)
);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_updated ON deliveries (updated_at);

-- The payload of an event while one of its deliveries may still be sent.
CREATE CACHED TABLE payloads (
    event_id     VARCHAR(255)      NOT NULL PRIMARY KEY,
    payload      VARCHAR(16777216) NOT NULL
);

CREATE CACHED TABLE store_meta (
    name    VARCHAR(64)     NOT NULL PRIMARY KEY,
    sealed  VARBINARY(1024) NOT NULL
);

-- db-scheduler's table, as its documentation gives it for HSQLDB.
CREATE CACHED TABLE scheduled_tasks (
    task_name             VARCHAR(100)              NOT NULL,
    task_instance         VARCHAR(100)              NOT NULL,
    task_data             VARBINARY(65536),
    execution_time        TIMESTAMP WITH TIME ZONE  NOT NULL,
    picked                BOOLEAN                   NOT NULL,
    picked_by             VARCHAR(50),
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
