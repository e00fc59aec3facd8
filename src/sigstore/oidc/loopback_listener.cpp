#include "sigstore/oidc/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "model_signing/error.h"

namespace model_signing::sigstore {

namespace {

constexpr const char* kCallbackPath = "/auth/callback";
constexpr std::size_t kMaxRequest = 16 * 1024;

[[noreturn]] void fail(const std::string& what) {
  throw Error(ErrorKind::kNetwork,
              "sign-in redirect listener: " + what + ": " + std::strerror(errno));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Reads the request head (up to the blank line), giving up after a few
// seconds so one silent connection cannot stall the flow.
std::string read_request_head(int fd) {
  std::string data;
  char buf[2048];
  while (data.find("\r\n\r\n") == std::string::npos && data.size() < kMaxRequest) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  return data;
}

void respond(int fd, int status, const std::string& reason, const std::string& html) {
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                         "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                         std::to_string(html.size()) + "\r\nConnection: close\r\n\r\n" + html;
  std::size_t sent = 0;
  while (sent < response.size()) {
    ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
}

int bind_listener(int family, int port) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int rc;
  if (family == AF_INET) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  } else {
    int one = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_port = htons(static_cast<std::uint16_t>(port));
    addr.sin6_addr = in6addr_loopback;
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  if (rc != 0 || ::listen(fd, 8) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

LoopbackListener::LoopbackListener() {
  int v4 = bind_listener(AF_INET, 0);
  if (v4 < 0) fail("cannot listen on 127.0.0.1");
  sockets_.push_back(v4);
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(v4, reinterpret_cast<sockaddr*>(&addr), &len) != 0) fail("getsockname");
  port_ = ntohs(addr.sin_port);
  int v6 = bind_listener(AF_INET6, port_);
  if (v6 >= 0) sockets_.push_back(v6);
}

LoopbackListener::~LoopbackListener() {
  for (int fd : sockets_) ::close(fd);
}

std::string LoopbackListener::redirect_uri() const {
  return "http://localhost:" + std::to_string(port_) + kCallbackPath;
}

std::map<std::string, std::string> LoopbackListener::wait_for_callback(std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<pollfd> fds;
  for (int fd : sockets_) fds.push_back({fd, POLLIN, 0});
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw Error(ErrorKind::kNetwork, "no sign-in completed within " +
                                           std::to_string(timeout.count()) +
                                           " s (the browser never returned to " + redirect_uri() +
                                           ")");
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) fail("poll");
    for (const auto& p : fds) {
      if (!(p.revents & POLLIN)) continue;
      int conn = ::accept4(p.fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string head = read_request_head(conn);
      std::string line = head.substr(0, head.find("\r\n"));
      // "GET /auth/callback?code=...&state=... HTTP/1.1"
      auto sp1 = line.find(' ');
      auto sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
      std::string target =
          sp2 == std::string::npos ? "" : line.substr(sp1 + 1, sp2 - sp1 - 1);
      std::string path = target.substr(0, target.find('?'));
      if (line.rfind("GET ", 0) != 0 || path != kCallbackPath) {
        respond(conn, 404, "Not Found", "<html><body>Not found.</body></html>");
        ::close(conn);
        continue;
      }
      auto query_start = target.find('?');
      auto params = parse_query(query_start == std::string::npos ? "" : target.substr(query_start + 1));
      bool ok = params.count("code") && !params.count("error");
      respond(conn, 200, "OK",
              ok ? "<html><body><h3>Sign-in complete.</h3><p>You can close this window and "
                   "return to model_signing.</p></body></html>"
                 : "<html><body><h3>Sign-in failed.</h3><p>Return to model_signing for "
                   "details.</p></body></html>");
      ::close(conn);
      return params;
    }
  }
}

std::map<std::string, std::string> parse_query(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      out[url_decode(pair.substr(0, eq))] =
          eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace model_signing::sigstore
