// Private: one reader per input format. Each walks its document shape, feeds spans through a
// SpanBuilder into the ReadContext and reports fatal problems with ctx.fail().
#pragma once

#include "json_util.hpp"
#include "nra/formats.hpp"
#include "span_builder.hpp"

namespace nra::formats {

// Which format a parsed document has (shape only: keys of the top level and of the first span).
TraceFormat detect_shape(dom::element root);

void read_newrelic(dom::element root, ReadContext& ctx);
void read_otlp(dom::element root, ReadContext& ctx);
void read_zipkin(dom::element root, ReadContext& ctx);
void read_jaeger(dom::element root, ReadContext& ctx);

}  // namespace nra::formats
