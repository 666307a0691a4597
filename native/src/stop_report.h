// What a held task's Hold event carries for the debugger's VARIABLES and
// CALL STACK (the event's s3, parsed by extension/core/session/holdEvent.ts):
//   {"regs":{"rax":"0x…",…},            the task's registers at the stop
//    "args":["0x…",…],                   the syscall's six raw arguments (in a syscall)
//    "stack":[{"pc":"0x…","module":"/lib/…","function":"…","offset":12,
//              "file":"/abs/a.c","line":3,"column":5,"kind":3,
//              "inlined":true,"system":true}, …]}   innermost first
#pragma once
#include <sys/user.h>

#include <cstdint>
#include <string>
#include <vector>

#include "source_resolver.h"

namespace renacer {

std::string stop_report_json(const user_regs_struct* regs, const uint64_t* args,
                             const std::vector<StackFrame>& stack);

}  // namespace renacer
