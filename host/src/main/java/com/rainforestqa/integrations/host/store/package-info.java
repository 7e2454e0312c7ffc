/** The durable store: the database, its schema migrations, group-committed writes and the cipher for settings. */
package com.rainforestqa.integrations.host.store;
