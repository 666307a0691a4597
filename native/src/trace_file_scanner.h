// Reads a trace file's gzip members (README "Trace files") for the viewer:
// inflates each whole member with libdeflate and reads the syscall lines
// exactly as jsonFormat.ts writes them into columns, in place. A million
// syscall lines (~300 MB inflated with --source) took ~1.3 s of CPU in
// JavaScript, most of it zlib; here they take ~0.2 s.
//
// It decides nothing on its own that JSON would decide otherwise: a line of
// any other shape (process events, the end record, another writer, escapes
// in a name) is handed back as bytes for extension/core/traceFile/traceLineDecoder.ts,
// and so are the texts it interns (sites, path arguments), once each.
#pragma once

#include <napi.h>

namespace renacer {

Napi::Function TraceFileScannerClass(Napi::Env env);

}  // namespace renacer
