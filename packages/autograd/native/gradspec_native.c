/*
 * gradspec's native kernels: the Backend operations on Float64Arrays in place, with OpenBLAS's
 * cblas_dgemm for the products. Plain Node-API C (node_api.h), so one build serves every Node
 * version with the same N-API. Elementwise loops keep the TypeScript reference's operation order
 * (built with -ffp-contract=off), so their results are bit for bit the plain kernels'.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <node_api.h>
#include <cblas.h>

/* Declared here rather than taken from cblas.h: Debian's cblas.h may be another BLAS's. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

#define MAX_ARGS 9

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  bool failed;
} Call;

static bool begin(napi_env env, napi_callback_info info, Call *call, size_t expected) {
  call->env = env;
  call->argc = MAX_ARGS;
  call->failed = false;
  if (napi_get_cb_info(env, info, &call->argc, call->argv, NULL, NULL) != napi_ok) return false;
  if (call->argc < expected) {
    napi_throw_type_error(env, NULL, "gradspec native: too few arguments");
    return false;
  }
  return true;
}

static double number_at(Call *call, size_t i) {
  double value = 0;
  if (!call->failed && napi_get_value_double(call->env, call->argv[i], &value) != napi_ok) {
    napi_throw_type_error(call->env, NULL, "gradspec native: expected a number");
    call->failed = true;
  }
  return value;
}

static size_t size_at(Call *call, size_t i) {
  double value = number_at(call, i);
  if (!call->failed && !(value >= 0 && value <= 9007199254740991.0)) {
    napi_throw_range_error(call->env, NULL, "gradspec native: sizes must be non-negative");
    call->failed = true;
  }
  return (size_t)value;
}

static bool flag_at(Call *call, size_t i) {
  bool value = false;
  if (!call->failed && napi_get_value_bool(call->env, call->argv[i], &value) != napi_ok) {
    napi_throw_type_error(call->env, NULL, "gradspec native: expected a boolean");
    call->failed = true;
  }
  return value;
}

/* The elements of a typed array of `type` with at least `need` of them (its length into `length_out`
 * when not NULL), or NULL after throwing. */
static void *array_at(Call *call, size_t i, napi_typedarray_type type, size_t need, const char *what, size_t *length_out) {
  if (call->failed) return NULL;
  bool is_typed = false;
  napi_is_typedarray(call->env, call->argv[i], &is_typed);
  napi_typedarray_type actual;
  size_t length = 0;
  void *data = NULL;
  if (!is_typed || napi_get_typedarray_info(call->env, call->argv[i], &actual, &length, &data, NULL, NULL) != napi_ok || actual != type) {
    napi_throw_type_error(call->env, NULL, what);
    call->failed = true;
    return NULL;
  }
  if (length < need) {
    napi_throw_range_error(call->env, NULL, "gradspec native: an array is shorter than the shape needs");
    call->failed = true;
    return NULL;
  }
  if (length_out != NULL) *length_out = length;
  return data;
}

static double *f64_at(Call *call, size_t i, size_t need) {
  return (double *)array_at(call, i, napi_float64_array, need, "gradspec native: expected a Float64Array", NULL);
}

/* At least `count` doubles of scratch for this thread (each worker thread calls the addon on its own),
 * kept for the next call; NULL if memory is short. */
static double *scratch(size_t count) {
  static _Thread_local double *buffer = NULL;
  static _Thread_local size_t capacity = 0;
  if (count > capacity) {
    double *grown = realloc(buffer, count * sizeof(double));
    if (grown == NULL) return NULL;
    buffer = grown;
    capacity = count;
  }
  return buffer;
}

/* gemm(transA, transB, m, n, k, a, b, c, accumulate): C = op(A)·op(B), or C += op(A)·op(B). */
static napi_value gemm(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 9)) return NULL;
  bool trans_a = flag_at(&call, 0), trans_b = flag_at(&call, 1);
  size_t m = size_at(&call, 2), n = size_at(&call, 3), k = size_at(&call, 4);
  double *a = f64_at(&call, 5, m * k);
  double *b = f64_at(&call, 6, k * n);
  double *c = f64_at(&call, 7, m * n);
  bool accumulate = flag_at(&call, 8);
  if (call.failed || m == 0 || n == 0) return NULL;
  if (k == 0) {
    if (!accumulate) for (size_t i = 0; i < m * n; i++) c[i] = 0;
    return NULL;
  }
#ifdef OPENBLAS_CONST /* cblas_domatcopy is OpenBLAS's: skip this with another BLAS's cblas.h. */
  if (trans_a && !trans_b && !accumulate && m >= 4 * n && m * n >= 16384) {
    /* A weight gradient Aᵀ·B of a tall C (3072×50 from a batch of 100): OpenBLAS is ~1.4× faster at
     * Cᵀ = Bᵀ·A, and transposing Cᵀ into C costs a tenth of that. */
    double *t = scratch(m * n);
    if (t != NULL) {
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)n, (int)m, (int)k, 1.0, b, (int)n, a, (int)m, 0.0, t, (int)m);
      cblas_domatcopy(CblasRowMajor, CblasTrans, (int)n, (int)m, 1.0, t, (int)m, c, (int)n);
      return NULL;
    }
  }
#endif
  cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0, a,
              trans_a ? (int)m : (int)k, b, trans_b ? (int)k : (int)n, accumulate ? 1.0 : 0.0, c, (int)n);
  return NULL;
}

/* standardizeBytes(src, rows, dim, mean, std, out): out[r, j] = (src[rows[r], j] − mean[j]) / std[j]. */
static napi_value standardize_bytes(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 6)) return NULL;
  size_t dim = size_at(&call, 2);
  size_t src_length = 0, count = 0;
  const uint8_t *src = (const uint8_t *)array_at(&call, 0, napi_uint8_array, 0, "gradspec native: expected a Uint8Array", &src_length);
  const int32_t *rows = (const int32_t *)array_at(&call, 1, napi_int32_array, 0, "gradspec native: expected an Int32Array", &count);
  const double *mean = f64_at(&call, 3, dim);
  const double *std = f64_at(&call, 4, dim);
  double *out = f64_at(&call, 5, count * dim);
  if (call.failed) return NULL;
  for (size_t r = 0; r < count; r++) {
    if (rows[r] < 0 || (size_t)rows[r] * dim + dim > src_length) {
      napi_throw_range_error(env, NULL, "gradspec native: a row index is outside the byte matrix");
      return NULL;
    }
  }
  for (size_t r = 0; r < count; r++) {
    const uint8_t *from = src + (size_t)rows[r] * dim;
    double *to = out + r * dim;
    for (size_t j = 0; j < dim; j++) to[j] = ((double)from[j] - mean[j]) / std[j];
  }
  return NULL;
}

/* momentumStep(rule, theta, grad, v, eta, rho, decay): rule 0 report, 1 pytorch, 2 nesterov (see momentum.ts). */
static napi_value momentum_step(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 7)) return NULL;
  int rule = (int)number_at(&call, 0);
  size_t n = 0;
  double *theta = (double *)array_at(&call, 1, napi_float64_array, 0, "gradspec native: expected a Float64Array", &n);
  const double *grad = f64_at(&call, 2, n);
  double *v = f64_at(&call, 3, n);
  double eta = number_at(&call, 4), rho = number_at(&call, 5), decay = number_at(&call, 6);
  if (call.failed) return NULL;
  /* One loop per rule and decay, so each vectorizes; with decay 0 the gradient is used as it is (as
   * in momentum.ts: −0 stays −0, ±∞ θ gives no NaN). */
#define MOMENTUM_LOOPS(UPDATE)                                                  \
  if (decay == 0)                                                             \
    for (size_t i = 0; i < n; i++) { double g = grad[i]; UPDATE }             \
  else                                                                        \
    for (size_t i = 0; i < n; i++) { double g = grad[i] + decay * theta[i] * 2; UPDATE }
  switch (rule) {
    case 0: MOMENTUM_LOOPS(v[i] = rho * v[i] + eta * g; theta[i] -= v[i];) break;
    case 1: MOMENTUM_LOOPS(v[i] = rho * v[i] + g; theta[i] -= eta * v[i];) break;
    default: MOMENTUM_LOOPS(v[i] = rho * v[i] + g; theta[i] -= eta * (g + rho * v[i]);) break;
  }
#undef MOMENTUM_LOOPS
  return NULL;
}

/* The broadcasts of elementwise.ts's fast paths: how b (or a) meets an output of n elements in rows of `inner`. */
enum { SAME = 0, B_ROW = 1, A_ROW = 2, B_SCALAR = 3, A_SCALAR = 4 };

#define BINARY_LOOPS(EXPR)                                                                                  \
  switch (mode) {                                                                                         \
    case SAME:                                                                                            \
      for (size_t i = 0; i < n; i++) { double x = a[i], y = b[i]; out[i] = EXPR; }                        \
      break;                                                                                              \
    case B_ROW:                                                                                           \
      for (size_t r = 0; r < n; r += inner)                                                               \
        for (size_t j = 0; j < inner; j++) { double x = a[r + j], y = b[j]; out[r + j] = EXPR; }          \
      break;                                                                                              \
    case A_ROW:                                                                                           \
      for (size_t r = 0; r < n; r += inner)                                                               \
        for (size_t j = 0; j < inner; j++) { double x = a[j], y = b[r + j]; out[r + j] = EXPR; }          \
      break;                                                                                              \
    case B_SCALAR: {                                                                                      \
      double y = b[0];                                                                                    \
      for (size_t i = 0; i < n; i++) { double x = a[i]; out[i] = EXPR; }                                  \
      break;                                                                                              \
    }                                                                                                     \
    default: {                                                                                            \
      double x = a[0];                                                                                    \
      for (size_t i = 0; i < n; i++) { double y = b[i]; out[i] = EXPR; }                                  \
      break;                                                                                              \
    }                                                                                                     \
  }

/* binary(op, a, b, out, mode, inner): out = a ∘ b over out's length, op 0 add, 1 sub, 2 mul, 3 div
 * (elementwise.ts's BINARY), b or a repeated as `mode` says. */
static napi_value binary(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 6)) return NULL;
  int op = (int)number_at(&call, 0);
  size_t na = 0, nb = 0, n = 0;
  const double *a = (const double *)array_at(&call, 1, napi_float64_array, 0, "gradspec native: expected a Float64Array", &na);
  const double *b = (const double *)array_at(&call, 2, napi_float64_array, 0, "gradspec native: expected a Float64Array", &nb);
  double *out = (double *)array_at(&call, 3, napi_float64_array, 0, "gradspec native: expected a Float64Array", &n);
  int mode = (int)number_at(&call, 4);
  size_t inner = size_at(&call, 5);
  if (call.failed || n == 0) return NULL;
  bool fits = mode == SAME     ? na >= n && nb >= n
              : mode == B_ROW  ? inner > 0 && n % inner == 0 && na >= n && nb >= inner
              : mode == A_ROW  ? inner > 0 && n % inner == 0 && nb >= n && na >= inner
              : mode == B_SCALAR ? na >= n && nb >= 1
              : mode == A_SCALAR ? nb >= n && na >= 1
                                 : false;
  if (!fits || op < 0 || op > 3) {
    napi_throw_range_error(env, NULL, "gradspec native: binary operands do not fit the output");
    return NULL;
  }
  switch (op) {
    case 0: BINARY_LOOPS(x + y) break;
    case 1: BINARY_LOOPS(x - y) break;
    case 2: BINARY_LOOPS(x * y) break;
    default: BINARY_LOOPS(x / y) break;
  }
  return NULL;
}

/* unary(op, x, out): op 0 neg, 3 sqrt, 4 relu, 5 square (elementwise.ts's UNARY; the others use
 * Math functions whose last bits libm need not share). */
static napi_value unary(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 3)) return NULL;
  int op = (int)number_at(&call, 0);
  size_t n = 0;
  const double *x = (const double *)array_at(&call, 1, napi_float64_array, 0, "gradspec native: expected a Float64Array", &n);
  double *out = f64_at(&call, 2, n);
  if (call.failed) return NULL;
  switch (op) {
    case 0: for (size_t i = 0; i < n; i++) out[i] = -x[i]; break;
    case 3: for (size_t i = 0; i < n; i++) out[i] = sqrt(x[i]); break;
    case 4: for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0; break;
    case 5: for (size_t i = 0; i < n; i++) out[i] = x[i] * x[i]; break;
    default: napi_throw_range_error(env, NULL, "gradspec native: no such unary op"); break;
  }
  return NULL;
}

/* reluBackward(x, dy, out): out[i] = dy[i] where x[i] > 0, else 0. */
static napi_value relu_backward(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 3)) return NULL;
  size_t n = 0;
  const double *x = (const double *)array_at(&call, 0, napi_float64_array, 0, "gradspec native: expected a Float64Array", &n);
  const double *dy = f64_at(&call, 1, n);
  double *out = f64_at(&call, 2, n);
  if (call.failed) return NULL;
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : 0;
  return NULL;
}

/* sumInto(grad, target, mode, inner): target += grad summed to its shape, in elementwise.ts's order:
 * mode 0 same length, 1 column sums into a row of `inner`, 2 row sums into target[0]. */
static napi_value sum_into(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 4)) return NULL;
  size_t n = 0, nt = 0;
  const double *grad = (const double *)array_at(&call, 0, napi_float64_array, 0, "gradspec native: expected a Float64Array", &n);
  double *target = (double *)array_at(&call, 1, napi_float64_array, 0, "gradspec native: expected a Float64Array", &nt);
  int mode = (int)number_at(&call, 2);
  size_t inner = size_at(&call, 3);
  if (call.failed) return NULL;
  bool fits = mode == 0 ? nt >= n : inner > 0 && n % inner == 0 && (mode == 1 ? nt >= inner : mode == 2 && nt >= 1);
  if (!fits) {
    napi_throw_range_error(env, NULL, "gradspec native: sumInto target does not fit");
    return NULL;
  }
  if (mode == 0) {
    for (size_t i = 0; i < n; i++) target[i] += grad[i];
  } else if (mode == 1) {
    for (size_t r = 0; r < n; r += inner)
      for (size_t j = 0; j < inner; j++) target[j] += grad[r + j];
  } else {
    for (size_t r = 0; r < n; r += inner) {
      double sum = 0;
      for (size_t j = 0; j < inner; j++) sum += grad[r + j];
      target[0] += sum;
    }
  }
  return NULL;
}

/* moments(x, rows, cols, mean, variance): per-column mean and biased variance, two-pass (moments.ts). */
static napi_value moments(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 5)) return NULL;
  size_t rows = size_at(&call, 1), cols = size_at(&call, 2);
  const double *x = f64_at(&call, 0, rows * cols);
  double *mean = f64_at(&call, 3, cols);
  double *variance = f64_at(&call, 4, cols);
  if (call.failed) return NULL;
  for (size_t j = 0; j < cols; j++) mean[j] = 0;
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < cols; j++) mean[j] += x[r * cols + j];
  for (size_t j = 0; j < cols; j++) mean[j] /= (double)rows;
  for (size_t j = 0; j < cols; j++) variance[j] = 0;
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < cols; j++) {
      double d = x[r * cols + j] - mean[j];
      variance[j] += d * d;
    }
  for (size_t j = 0; j < cols; j++) variance[j] /= (double)rows;
  return NULL;
}

/* meanBackward(rows, cols, dMean, g): g[r, j] = dMean[j] / rows. */
static napi_value mean_backward(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 4)) return NULL;
  size_t rows = size_at(&call, 0), cols = size_at(&call, 1);
  const double *d_mean = f64_at(&call, 2, cols);
  double *g = f64_at(&call, 3, rows * cols);
  if (call.failed) return NULL;
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < cols; j++) g[r * cols + j] = d_mean[j] / (double)rows;
  return NULL;
}

/* varianceBackward(x, rows, cols, mean, dVariance, g): g[r, j] = dVariance[j]·(2/rows)·(x[r, j] − mean[j]). */
static napi_value variance_backward(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 6)) return NULL;
  size_t rows = size_at(&call, 1), cols = size_at(&call, 2);
  const double *x = f64_at(&call, 0, rows * cols);
  const double *mean = f64_at(&call, 3, cols);
  const double *d_variance = f64_at(&call, 4, cols);
  double *g = f64_at(&call, 5, rows * cols);
  if (call.failed) return NULL;
  double scale = 2 / (double)rows;
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < cols; j++) g[r * cols + j] = d_variance[j] * scale * (x[r * cols + j] - mean[j]);
  return NULL;
}

/* setThreads(n): OpenBLAS's thread count for this process. threads(): the current one. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  Call call;
  if (!begin(env, info, &call, 1)) return NULL;
  size_t threads = size_at(&call, 0);
  if (call.failed) return NULL;
  openblas_set_num_threads(threads < 1 ? 1 : (int)threads);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, openblas_get_num_threads(), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"standardizeBytes", NULL, standardize_bytes, NULL, NULL, NULL, napi_default, NULL},
      {"momentumStep", NULL, momentum_step, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"reluBackward", NULL, relu_backward, NULL, NULL, NULL, napi_default, NULL},
      {"sumInto", NULL, sum_into, NULL, NULL, NULL, napi_default, NULL},
      {"moments", NULL, moments, NULL, NULL, NULL, napi_default, NULL},
      {"meanBackward", NULL, mean_backward, NULL, NULL, NULL, napi_default, NULL},
      {"varianceBackward", NULL, variance_backward, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}
