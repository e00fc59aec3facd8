#include "engine/sigbus_guard.h"

#include <setjmp.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

#include "model_signing/error.h"

namespace model_signing::engine {

namespace {

struct Guard {
  sigjmp_buf jump;
  const MappedRange* ranges = nullptr;
  std::size_t count = 0;
  volatile int faulted = -1;  // written by the handler, read after siglongjmp
};

// Read by the handler on the faulting thread; initial-exec TLS needs no
// allocation there.
thread_local Guard* t_guard __attribute__((tls_model("initial-exec"))) = nullptr;

struct sigaction g_previous;

void forward(int sig, siginfo_t* info, void* context) {
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) {
      g_previous.sa_sigaction(sig, info, context);
      return;
    }
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
    return;
  }
  // Default (or ignored, which is not possible for a fault): put the default
  // action back; returning re-runs the faulting access, which then ends the
  // process as it would have without us.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGBUS, &dfl, nullptr);
}

void on_sigbus(int sig, siginfo_t* info, void* context) {
  Guard* guard = t_guard;
  if (guard && info) {
    auto* addr = static_cast<const std::uint8_t*>(info->si_addr);
    for (std::size_t i = 0; i < guard->count; ++i) {
      if (addr >= guard->ranges[i].begin && addr < guard->ranges[i].end) {
        guard->faulted = static_cast<int>(i);
        t_guard = nullptr;
        siglongjmp(guard->jump, 1);
      }
    }
  }
  forward(sig, info, context);
}

void install() {
  struct sigaction action {};
  action.sa_sigaction = on_sigbus;
  // SA_NODEFER: the handler leaves by siglongjmp without restoring the
  // signal mask, so SIGBUS must not be blocked while it runs.
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGBUS, &action, &g_previous) != 0) {
    throw Error(ErrorKind::kIo, std::string("cannot install the SIGBUS handler for mapped reads: ") +
                                    std::strerror(errno));
  }
}

}  // namespace

int run_guarded(const MappedRange* ranges, std::size_t count, void (*fn)(void*), void* arg) {
  static std::once_flag installed;
  std::call_once(installed, install);
  Guard guard;
  guard.ranges = ranges;
  guard.count = count;
  if (sigsetjmp(guard.jump, 0) != 0) return guard.faulted;
  t_guard = &guard;
  try {
    fn(arg);
  } catch (...) {
    t_guard = nullptr;
    throw;
  }
  t_guard = nullptr;
  return -1;
}

}  // namespace model_signing::engine
