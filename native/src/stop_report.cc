#include "stop_report.h"

#include <cstdio>

#include "json_string.h"

namespace renacer {

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "\"0x%llx\"", static_cast<unsigned long long>(v));
  return buf;
}

void append_regs(std::string* out, const user_regs_struct& r) {
  const std::pair<const char*, unsigned long long> regs[] = {
      {"rax", r.rax}, {"rbx", r.rbx}, {"rcx", r.rcx}, {"rdx", r.rdx}, {"rsi", r.rsi}, {"rdi", r.rdi},
      {"rbp", r.rbp}, {"rsp", r.rsp}, {"r8", r.r8},   {"r9", r.r9},   {"r10", r.r10}, {"r11", r.r11},
      {"r12", r.r12}, {"r13", r.r13}, {"r14", r.r14}, {"r15", r.r15}, {"rip", r.rip}, {"eflags", r.eflags},
      {"orig_rax", r.orig_rax}, {"fs_base", r.fs_base}, {"gs_base", r.gs_base},
  };
  *out += "\"regs\":{";
  bool first = true;
  for (const auto& [name, value] : regs) {
    if (!first) *out += ',';
    first = false;
    *out += '"';
    *out += name;
    *out += "\":";
    *out += hex(value);
  }
  *out += '}';
}

void append_frame(std::string* out, const StackFrame& f) {
  *out += "{\"pc\":" + hex(f.pc);
  *out += ",\"module\":";
  append_json_string(out, f.module);
  if (!f.function.empty()) {
    *out += ",\"function\":";
    append_json_string(out, f.function);
    if (f.file.empty()) *out += ",\"offset\":" + std::to_string(f.offset);
  }
  if (!f.file.empty()) {
    *out += ",\"file\":";
    append_json_string(out, f.file);
    *out += ",\"line\":" + std::to_string(f.line);
    if (f.column > 0) *out += ",\"column\":" + std::to_string(f.column);
  }
  *out += ",\"kind\":" + std::to_string(f.kind);
  if (f.inlined) *out += ",\"inlined\":true";
  if (f.system) *out += ",\"system\":true";
  *out += '}';
}

}  // namespace

std::string stop_report_json(const user_regs_struct* regs, const uint64_t* args,
                             const std::vector<StackFrame>& stack) {
  std::string out = "{";
  if (regs) append_regs(&out, *regs);
  if (args) {
    if (out.size() > 1) out += ',';
    out += "\"args\":[";
    for (int i = 0; i < 6; ++i) {
      if (i) out += ',';
      out += hex(args[i]);
    }
    out += ']';
  }
  if (out.size() > 1) out += ',';
  out += "\"stack\":[";
  for (size_t i = 0; i < stack.size(); ++i) {
    if (i) out += ',';
    append_frame(&out, stack[i]);
  }
  out += "]}";
  return out;
}

}  // namespace renacer
