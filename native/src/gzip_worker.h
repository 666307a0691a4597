// gzip on the thread pool with libdeflate: the viewer compresses a decoded
// trace's columns (tens of MB) in parts, in parallel, before sending them to
// the webview. libdeflate's level 1 is ~1.4x faster than zlib's and smaller.
#pragma once

#include <napi.h>

namespace renacer {

/** gzip(bytes: Uint8Array, level: number): Promise<Buffer>, compressed off the JavaScript thread. */
Napi::Value Gzip(const Napi::CallbackInfo& info);

}  // namespace renacer
