#include "gzip_worker.h"

#include <libdeflate.h>

#include <vector>

namespace renacer {
namespace {

class GzipWorker : public Napi::AsyncWorker {
 public:
  GzipWorker(Napi::Env env, Napi::Uint8Array input, int level)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), level_(level) {
    // The input stays alive (and unmoved) while the pool thread reads it.
    input_ref_ = Napi::Persistent(input);
    data_ = input.Data();
    size_ = input.ByteLength();
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    libdeflate_compressor* c = libdeflate_alloc_compressor(level_);
    if (!c) {
      SetError("libdeflate: out of memory");
      return;
    }
    out_.resize(libdeflate_gzip_compress_bound(c, size_));
    size_t n = libdeflate_gzip_compress(c, data_, size_, out_.data(), out_.size());
    libdeflate_free_compressor(c);
    if (n == 0) {
      SetError("libdeflate: gzip output did not fit its bound");
      return;
    }
    out_.resize(n);
  }

  void OnOK() override {
    deferred_.Resolve(Napi::Buffer<uint8_t>::Copy(Env(), out_.data(), out_.size()));
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Uint8Array> input_ref_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  int level_;
  std::vector<uint8_t> out_;
};

}  // namespace

Napi::Value Gzip(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(env, "gzip(bytes: Uint8Array, level?: number)");
  int level = info.Length() > 1 && info[1].IsNumber() ? info[1].ToNumber().Int32Value() : 1;
  if (level < 0 || level > 12) throw Napi::RangeError::New(env, "gzip: level must be 0-12");
  auto* w = new GzipWorker(env, info[0].As<Napi::Uint8Array>(), level);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace renacer
