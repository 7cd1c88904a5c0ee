// BackgroundGather and the pool's background jobs: the batch a background gather leaves in
// `out` is bit for bit gather_rows' whether pool threads copied all of it, some of it or
// none (finish at once, after a wait, with parallel_for jobs in between, with one thread,
// with a second gather offered while the first is on offer, or finished by the destructor);
// and once finish() returns no pool thread writes into `out` again.
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gather_rows.h"
#include "test_support.h"
#include "thread_pool.h"

using namespace myelin;
using namespace myelin_test;

namespace {

constexpr size_t kRows = 5000, kMaxRowSize = 900;

// One random source per dtype, read as kRows rows of whatever row size a case has: drawing
// a fresh one per case (up to 4.5M values, 200 rounds) was most of this test's time.
template <typename T>
const T* shared_source() {
  static const std::vector<T> source = random_vector<T>(kRows * kMaxRowSize, 7);
  return source.data();
}

template <typename T>
struct Case {
  size_t row_size;
  const T* src;
  std::vector<int32_t> indices;
  std::vector<T> want;

  Case(size_t row_size_, size_t count, uint32_t seed) : row_size(row_size_), src(shared_source<T>()) {
    std::mt19937 rng(seed);
    indices.resize(count);
    for (int32_t& i : indices) i = static_cast<int32_t>(rng() % kRows);
    want.resize(count * row_size);
    for (size_t i = 0; i < count; ++i) {
      std::memcpy(&want[i * row_size], &src[size_t(indices[i]) * row_size], row_size * sizeof(T));
    }
  }
};

template <typename T>
void expect_rows(Failures& f, const char* how, const Case<T>& c, const std::vector<T>& out) {
  if (std::memcmp(out.data(), c.want.data(), c.want.size() * sizeof(T)) != 0) {
    size_t at = 0;
    while (std::memcmp(&out[at], &c.want[at], sizeof(T)) == 0) ++at;
    f.report("%s (%s, row size %zu, %zu rows): element %zu is %.9g, expected %.9g", how, dtype_name<T>(), c.row_size,
             c.indices.size(), at, double(out[at]), double(c.want[at]));
  }
}

void spin_for(std::chrono::microseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
  }
}

template <typename T>
void check_finish_points(Failures& f) {
  set_thread_count(2);
  size_t by_pool = 0, total = 0;
  for (uint32_t round = 0; round < 200; ++round) {
    const size_t row_size = 1 + (round * 37) % 900, count = 1 + (round * 13) % 70;
    const Case<T> c(row_size, count, round + 1);
    std::vector<T> out(c.want.size(), T(-1));
    BackgroundGather<T> g(c.src, row_size, c.indices.data(), count, out.data());
    if (!g.start()) f.report("round %u: start() found no pool thread on 2 threads", round);
    switch (round % 4) {
      case 0: break;                                                       // finish at once
      case 1: spin_for(std::chrono::microseconds(200)); break;             // the pool did it all
      case 2: std::this_thread::sleep_for(std::chrono::microseconds(50)); break;
      default:                                                             // GEMM-like jobs meanwhile
        for (int j = 0; j < 20; ++j) parallel_for(2, [](size_t) { spin_for(std::chrono::microseconds(2)); });
    }
    g.finish();
    by_pool += g.rows_by_pool();
    total += count;
    expect_rows(f, "finished gather", c, out);
    // Nothing may write after finish(): poison the batch and look again a little later.
    std::fill(out.begin(), out.end(), T(-7));
    spin_for(std::chrono::microseconds(20));
    for (T v : out) {
      if (v != T(-7)) {
        f.report("round %u: out changed after finish()", round);
        break;
      }
    }
  }
  // Rounds of the 200 us kind leave every row to the pool; none at all would mean the
  // background path never ran.
  if (by_pool == 0) f.report("%s: pool threads copied none of %zu rows", dtype_name<T>(), total);
}

template <typename T>
void check_without_pool_and_when_busy(Failures& f) {
  const Case<T> a(784, 32, 11), b(500, 17, 12);
  set_thread_count(1);
  {
    std::vector<T> out(a.want.size());
    BackgroundGather<T> g(a.src, a.row_size, a.indices.data(), a.indices.size(), out.data());
    if (g.start()) f.report("start() offered a job with no pool thread");
    g.finish();
    expect_rows(f, "one thread", a, out);
  }
  set_thread_count(2);
  {
    // A second gather while the first is on offer is not offered; both still come out right.
    std::vector<T> out_a(a.want.size()), out_b(b.want.size());
    BackgroundGather<T> ga(a.src, a.row_size, a.indices.data(), a.indices.size(), out_a.data());
    BackgroundGather<T> gb(b.src, b.row_size, b.indices.data(), b.indices.size(), out_b.data());
    ga.start();
    gb.start();
    gb.finish();
    ga.finish();
    expect_rows(f, "second of two on offer", b, out_b);
    expect_rows(f, "first of two on offer", a, out_a);
  }
  {
    // The destructor finishes a gather nobody finished.
    std::vector<T> out(a.want.size());
    { BackgroundGather<T> g(a.src, a.row_size, a.indices.data(), a.indices.size(), out.data()); g.start(); }
    expect_rows(f, "finished by the destructor", a, out);
  }
  {
    // Resizing the pool while a gather is on offer: the new threads (or finish) take it.
    std::vector<T> out(a.want.size());
    BackgroundGather<T> g(a.src, a.row_size, a.indices.data(), a.indices.size(), out.data());
    g.start();
    set_thread_count(3);
    spin_for(std::chrono::microseconds(100));
    g.finish();
    expect_rows(f, "across a pool resize", a, out);
    set_thread_count(2);
  }
}

// A background job offered, withdrawn before anyone ran it, and a job that throws: the
// pool goes on running parallel_for jobs.
void check_withdraw_and_throw(Failures& f) {
  set_thread_count(2);
  struct Counting : BackgroundJob {
    std::atomic<int> pieces{0};
    int limit = 0;
    bool throws = false;
    bool run_piece() override {
      if (pieces.fetch_add(1) >= limit) return false;
      if (throws) throw std::runtime_error("piece failed");
      return true;
    }
  };
  Counting quick;
  quick.limit = 1000000;
  if (offer_background(&quick)) {
    withdraw_background(&quick);
    const int after = quick.pieces.load();
    spin_for(std::chrono::microseconds(100));
    if (quick.pieces.load() != after) f.report("a withdrawn job kept running (%d -> %d pieces)", after, quick.pieces.load());
  } else {
    f.report("offer_background refused a job with 2 threads and nothing on offer");
  }
  withdraw_background(&quick);  // again: harmless
  Counting thrower;
  thrower.limit = 10;
  thrower.throws = true;
  offer_background(&thrower);
  spin_for(std::chrono::microseconds(200));
  withdraw_background(&thrower);
  std::atomic<int> ran{0};
  parallel_for(8, [&](size_t) { ran.fetch_add(1); });
  if (ran.load() != 8) f.report("after a throwing background job, parallel_for ran %d of 8 tasks", ran.load());
}

}  // namespace

int main() {
  Failures f;
  check_finish_points<float>(f);
  check_finish_points<double>(f);
  check_without_pool_and_when_busy<float>(f);
  check_without_pool_and_when_busy<double>(f);
  check_withdraw_and_throw(f);
  return f.exit_code("background_gather_test");
}
