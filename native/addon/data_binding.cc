// takeRows: the rows of a matrix at given indices, copied into a batch (a data loader's
// gather), validated here again: no index from JavaScript reads outside the source.
// prefetchRows: the same rows fetched into the caches ahead of the takeRows that needs them.
// gatherRowsStart / gatherRowsFinish: takeRows done ahead by the pool's idle threads.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "args.h"
#include "bindings.h"
#include "gather_rows.h"

namespace myelin_addon {
namespace {

// The rows both calls name: src, rowSize, indices (arguments 0-2).
struct RowSelection {
  FloatArray src;
  size_t row_size = 0;
  const int32_t* indices = nullptr;
  size_t count = 0;
};

RowSelection read_rows(const Args& args) {
  RowSelection r{args.float_array(0, "src"), args.size(1, "rowSize"), nullptr, 0};
  r.indices = args.int32_array(2, "indices", &r.count);
  return r;
}

// Rejects any index outside [0, src.length / row_size), naming the op and the index.
void expect_rows_in_range(const Args& args, const RowSelection& r) {
  const size_t rows = r.src.length / r.row_size;
  for (size_t i = 0; i < r.count; ++i) {
    if (r.indices[i] < 0 || static_cast<size_t>(r.indices[i]) >= rows) {
      args.fail_range("indices[" + std::to_string(i) + "] = " + std::to_string(r.indices[i]) + " is outside [0, " +
                      std::to_string(rows) + ") (src holds " + std::to_string(rows) + " rows of " +
                      std::to_string(r.row_size) + ")");
    }
  }
}

// The arguments of takeRows and gatherRowsStart (src, rowSize, indices, out), all checked:
// out one dtype with src and long enough, every index inside src.
struct RowCopy {
  RowSelection rows;
  FloatArray out;
  bool empty() const { return rows.row_size == 0 || rows.count == 0; }
};

RowCopy read_row_copy(const Args& args) {
  args.expect_count(4, "src, rowSize, indices, out");
  const RowCopy copy{read_rows(args), args.float_array(3, "out")};
  const RowSelection& r = copy.rows;
  expect_same_dtype(args, {{"src", r.src}, {"out", copy.out}});
  size_t needed = 0;
  if (__builtin_mul_overflow(r.count, r.row_size, &needed)) args.fail_range("indices x rowSize is too large");
  expect_length(args, copy.out, "out", needed, [&] {
    return std::to_string(r.count) + " rows of " + std::to_string(r.row_size);
  });
  if (r.row_size > 0) expect_rows_in_range(args, r);
  return copy;
}

Napi::Value TakeRows(const Napi::CallbackInfo& info) {
  const Args args(info, "takeRows");
  const RowCopy copy = read_row_copy(args);
  if (copy.empty()) return info.Env().Undefined();
  const RowSelection& r = copy.rows;
  const FloatArray& out = copy.out;
  if (r.src.dtype == Dtype::float32) {
    myelin::gather_rows(r.src.as<float>(), r.row_size, r.indices, r.count, out.as<float>());
  } else {
    myelin::gather_rows(r.src.as<double>(), r.row_size, r.indices, r.count, out.as<double>());
  }
  return info.Env().Undefined();
}

Napi::Value PrefetchRows(const Napi::CallbackInfo& info) {
  const Args args(info, "prefetchRows");
  args.expect_count(3, "src, rowSize, indices");
  const RowSelection r = read_rows(args);
  if (r.row_size == 0 || r.count == 0) return info.Env().Undefined();
  expect_rows_in_range(args, r);
  if (r.src.dtype == Dtype::float32) {
    myelin::prefetch_rows(r.src.as<float>(), r.row_size, r.indices, r.count);
  } else {
    myelin::prefetch_rows(r.src.as<double>(), r.row_size, r.indices, r.count);
  }
  return info.Env().Undefined();
}

// A gather under way, owned by its JavaScript handle. It holds src and out (so neither
// buffer can be collected while a pool thread writes) until it is finished: by
// gatherRowsFinish, or else when the handle is collected. Finishing lets go of both at once:
// Node runs the handle's finaliser only once JavaScript yields to the event loop, and a
// training loop that never yields would otherwise keep every batch alive until then.
class PendingGather {
 public:
  PendingGather(napi_env env, const Napi::Value& src, const Napi::Value& out) : env_(env) {
    src_ = Napi::Persistent(src.As<Napi::Object>());
    out_ = Napi::Persistent(out.As<Napi::Object>());
    std::lock_guard<std::mutex> lock(live_mutex());
    live().insert(this);
  }
  ~PendingGather() {
    finish();
    std::lock_guard<std::mutex> lock(live_mutex());
    live().erase(this);
  }

  template <typename T>
  void start(const T* src, size_t row_size, const int32_t* indices, size_t count, T* out) {
    auto job = std::make_unique<myelin::BackgroundGather<T>>(src, row_size, indices, count, out);
    job->start();
    if constexpr (sizeof(T) == 4) f32_ = std::move(job); else f64_ = std::move(job);
  }

  // Every row in place and the job gone (~BackgroundGather finishes the copy).
  void complete() {
    f32_.reset();
    f64_.reset();
  }

  // complete(), then both buffers released; later calls do nothing.
  void finish() {
    complete();
    if (!src_.IsEmpty()) src_.Reset();
    if (!out_.IsEmpty()) out_.Reset();
  }

  // Before the environment's heap goes away (process exit, a worker thread ending), every
  // gather of it is completed: no pool thread may write into a buffer being freed.
  static void finish_all(napi_env env) {
    std::lock_guard<std::mutex> lock(live_mutex());
    for (PendingGather* g : live()) {
      if (g->env_ == env) g->complete();
    }
  }

 private:
  static std::mutex& live_mutex() {
    static std::mutex* m = new std::mutex;
    return *m;
  }
  static std::unordered_set<PendingGather*>& live() {
    static auto* set = new std::unordered_set<PendingGather*>;
    return *set;
  }

  napi_env env_;
  Napi::ObjectReference src_, out_;
  std::unique_ptr<myelin::BackgroundGather<float>> f32_;
  std::unique_ptr<myelin::BackgroundGather<double>> f64_;
};

// Marks handles made here, so gatherRowsFinish never unwraps another object's pointer.
constexpr napi_type_tag kGatherTag = {0x6d79656c696e4761ULL, 0x7468657252777331ULL};

Napi::Value GatherRowsStart(const Napi::CallbackInfo& info) {
  const Args args(info, "gatherRowsStart");
  const RowCopy copy = read_row_copy(args);
  const RowSelection& r = copy.rows;
  const FloatArray& out = copy.out;
  const Napi::Env env = info.Env();
  auto pending = std::make_unique<PendingGather>(env, info[0], info[3]);
  if (!copy.empty()) {
    if (r.src.dtype == Dtype::float32) {
      pending->start(r.src.as<float>(), r.row_size, r.indices, r.count, out.as<float>());
    } else {
      pending->start(r.src.as<double>(), r.row_size, r.indices, r.count, out.as<double>());
    }
  }
  Napi::Object handle = Napi::Object::New(env);
  handle.TypeTag(&kGatherTag);
  napi_status status = napi_wrap(
      env, handle, pending.get(), [](napi_env, void* data, void*) { delete static_cast<PendingGather*>(data); },
      nullptr, nullptr);
  NAPI_THROW_IF_FAILED(env, status, Napi::Value());
  pending.release();
  return handle;
}

Napi::Value GatherRowsFinish(const Napi::CallbackInfo& info) {
  const Args args(info, "gatherRowsFinish");
  args.expect_count(1, "handle");
  if (!info[0].IsObject() || !info[0].As<Napi::Object>().CheckTypeTag(&kGatherTag)) {
    args.fail_type("handle must be what gatherRowsStart returned");
  }
  void* data = nullptr;
  NAPI_THROW_IF_FAILED(info.Env(), napi_unwrap(info.Env(), info[0], &data), Napi::Value());
  static_cast<PendingGather*>(data)->finish();
  return info.Env().Undefined();
}

}  // namespace

void register_data(Napi::Env env, Napi::Object exports) {
  exports.Set("takeRows", Napi::Function::New(env, TakeRows, "takeRows"));
  exports.Set("prefetchRows", Napi::Function::New(env, PrefetchRows, "prefetchRows"));
  exports.Set("gatherRowsStart", Napi::Function::New(env, GatherRowsStart, "gatherRowsStart"));
  exports.Set("gatherRowsFinish", Napi::Function::New(env, GatherRowsFinish, "gatherRowsFinish"));
  napi_add_env_cleanup_hook(env, [](void* e) { PendingGather::finish_all(static_cast<napi_env>(e)); }, env);
}

}  // namespace myelin_addon
