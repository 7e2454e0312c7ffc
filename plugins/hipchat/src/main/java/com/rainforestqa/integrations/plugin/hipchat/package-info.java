/**
 * The HipChat integration (deprecated: HipChat Cloud was retired in 2019): posts each Rainforest event to a room as
 * an HTML notification with an application card, through HipChat's v2 room notification API.
 */
package com.rainforestqa.integrations.plugin.hipchat;
