/** The ${integrationTitle} integration: posts Rainforest QA events to a webhook. */
package ${package};
