/**
 * The Slack integration: posts each Rainforest event to a channel as a message with a coloured attachment, through
 * the incoming-webhook URL the user configured.
 */
package com.rainforestqa.integrations.plugin.slack;
