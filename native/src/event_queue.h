// Hands events from the tracer thread to the thread that delivers them to
// JavaScript, with backpressure: when JavaScript falls behind, push() blocks,
// the tracer stops resuming tracees, and the traced program waits. Nothing is
// ever dropped.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "native_event.h"

namespace renacer {

class EventQueue {
 public:
  EventQueue(size_t batch_size, size_t max_pending, int max_in_flight)
      : batch_size_(batch_size), max_pending_(max_pending), max_in_flight_(max_in_flight) {
    pending_.reserve(batch_size);
  }

  // Tracer thread. Blocks while max_pending events wait for delivery.
  void push(NativeEvent&& e) { push(std::move(e), false); }

  // Tracer thread: an event JavaScript must see now (a held task waits for
  // its answer), delivered with whatever is pending without lingering.
  void push_urgent(NativeEvent&& e) { push(std::move(e), true); }

  // Tracer thread, once: no more events.
  void close() {
    std::lock_guard<std::mutex> lk(m_);
    closed_ = true;
    ready_.notify_all();
  }

  // Delivery thread. Waits up to `linger` for a full batch, and for a free
  // in-flight slot; returns false when the queue is closed and drained.
  bool take(std::vector<NativeEvent>& out, std::chrono::milliseconds linger) {
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      ready_.wait_for(lk, linger, [&] { return pending_.size() >= batch_size_ || closed_ || urgent_; });
      if (pending_.empty()) {
        urgent_ = false;
        if (closed_) return false;
        if (on_idle_) on_idle_();
        continue;
      }
      ready_.wait(lk, [&] { return in_flight_ < max_in_flight_ || cancelled_; });
      out.swap(pending_);
      urgent_ = false;
      pending_.clear();
      pending_.reserve(batch_size_);
      ++in_flight_;
      space_.notify_all();
      return true;
    }
  }

  // JavaScript thread: a delivered batch has been consumed.
  void ack() {
    std::lock_guard<std::mutex> lk(m_);
    if (in_flight_ > 0) --in_flight_;
    ready_.notify_all();
    if (lockstep_) space_.notify_all();
  }

  // Teardown only (the environment is going away): unblock everyone.
  void cancel() {
    std::lock_guard<std::mutex> lk(m_);
    cancelled_ = true;
    closed_ = true;
    in_flight_ = 0;
    ready_.notify_all();
    space_.notify_all();
  }

  // Lockstep (output to a terminal): every event is delivered at once, and
  // push() returns only once JavaScript has consumed it, so the tracee
  // never runs ahead of its trace lines (strace's order on a tty).
  void set_lockstep(bool on) {
    std::lock_guard<std::mutex> lk(m_);
    lockstep_ = on;
  }

  // Called (with the lock held) each time the delivery thread wakes with nothing to do.
  void set_idle_hook(std::function<void()> hook) { on_idle_ = std::move(hook); }

 private:
  void push(NativeEvent&& e, bool urgent) {
    std::unique_lock<std::mutex> lk(m_);
    pending_.push_back(std::move(e));
    if (urgent || lockstep_) urgent_ = true;
    if (urgent_ || pending_.size() >= batch_size_) ready_.notify_one();
    if (lockstep_) {
      space_.wait(lk, [&] { return (pending_.empty() && in_flight_ == 0) || cancelled_; });
      return;
    }
    space_.wait(lk, [&] { return pending_.size() < max_pending_ || cancelled_; });
  }

  std::mutex m_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::vector<NativeEvent> pending_;
  size_t batch_size_;
  size_t max_pending_;
  int max_in_flight_;
  int in_flight_ = 0;
  bool closed_ = false;
  bool cancelled_ = false;
  bool urgent_ = false;
  bool lockstep_ = false;
  std::function<void()> on_idle_;
};

}  // namespace renacer
