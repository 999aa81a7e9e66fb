export { createNodeMetrics, type NodeMetrics, RPC_TIME_BUCKETS_US } from './node-metrics.js';
export {
  CONTENT_TYPE,
  Counter,
  DEFAULT_BUCKETS,
  DEFAULT_MAX_SERIES,
  escapeHelp,
  escapeLabelValue,
  formatValue,
  Gauge,
  Histogram,
  type HistogramOptions,
  type LabelValues,
  MAX_HELP_LENGTH,
  MAX_LABEL_VALUE_LENGTH,
  type Metric,
  type MetricOptions,
  Registry,
} from './registry.js';
export { type MetricsServer, type MetricsServerOptions, startMetricsServer } from './server.js';
