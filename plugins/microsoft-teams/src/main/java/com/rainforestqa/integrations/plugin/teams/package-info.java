/**
 * The Microsoft Teams integration: posts each Rainforest event to a channel as an Adaptive Card, through the
 * Workflows (Power Automate) webhook URL the user configured.
 */
package com.rainforestqa.integrations.plugin.teams;
