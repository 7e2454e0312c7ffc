/** The Google Chat integration: Rainforest events as messages in a Google Chat space, through its incoming webhook. */
package com.example.integrations.googlechat;
