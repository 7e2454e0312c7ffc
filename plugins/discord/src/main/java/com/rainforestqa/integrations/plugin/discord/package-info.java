/**
 * The Discord integration: posts each Rainforest event to a channel as one embed (coloured green or red, titled and
 * linked to the run, details as fields within Discord's limits) through the channel webhook URL the user configured.
 */
package com.rainforestqa.integrations.plugin.discord;
