// Runs the kernels of native/ on the cases read from stdin, one a line, and writes every
// output to stdout as records (a label line, a uint64 count, that many floats). Built twice for
// a target (its SIMD kernels, and a scalar reference: no vectorisation, DEEPTYPE_ISA=scalar) and
// run under an emulator, so cross.ts can compare the two builds' records with native.test.ts's
// tolerances. Inputs come from a fixed generator: both builds see the same numbers.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../../native/kernels.h"

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#endif

namespace {

using Floats = std::vector<float>;

uint64_t state = 1;
// Uniform in [lo, hi): the same sequence on every machine (no library distribution involved).
Floats rand_floats(int64_t n, float lo = -1, float hi = 1) {
  Floats v(size_t(std::max<int64_t>(n, 0)));
  for (float& x : v) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    x = lo + (hi - lo) * float(double(state >> 40) / double(1ULL << 24));
  }
  return v;
}

void emit(const std::string& label, const float* data, int64_t n) {
  std::cout << label << '\n';
  const uint64_t count = uint64_t(n);
  std::cout.write(reinterpret_cast<const char*>(&count), sizeof(count));
  std::cout.write(reinterpret_cast<const char*>(data), std::streamsize(n * sizeof(float)));
}
void emit(const std::string& label, const Floats& v) { emit(label, v.data(), int64_t(v.size())); }

// TF's padding rule, as the ops layer resolves it before calling a backend.
void axis(int n, int k, int s, bool same, int32_t& out, int32_t& pad) {
  if (!same) {
    out = (n - k) / s + 1;
    pad = 0;
    return;
  }
  out = (n + s - 1) / s;
  pad = std::max((out - 1) * s + k - n, 0) / 2;
}

dt::ConvGeom conv_geom(int b, int h, int w, int in_c, int out_c, int k, int s, bool same) {
  dt::ConvGeom g{b, h, w, in_c, 0, 0, out_c, k, k, s, s, 0, 0};
  axis(h, k, s, same, g.outH, g.padTop);
  axis(w, k, s, same, g.outW, g.padLeft);
  return g;
}

dt::PoolGeom pool_geom(int b, int h, int w, int c, int p, int s, bool same) {
  dt::PoolGeom g{b, h, w, c, 0, 0, p, p, s, s, 0, 0};
  axis(h, p, s, same, g.outH, g.padTop);
  axis(w, p, s, same, g.outW, g.padLeft);
  return g;
}

int64_t conv_out(const dt::ConvGeom& g) { return int64_t(g.batch) * g.outH * g.outW * g.outC; }
int64_t pool_out(const dt::PoolGeom& g) { return int64_t(g.batch) * g.outH * g.outW * g.channels; }

Floats glorot_kernel(int k, int in_c, int out_c) {
  const float limit = std::sqrt(6.0f / float(k * k * (in_c + out_c)));
  return rand_floats(int64_t(k) * k * in_c * out_c, -limit, limit);
}

void matmul_case(std::istringstream& in, const std::string& label) {
  int64_t m, k, n;
  int ta, tb, with_bias, act;
  in >> m >> k >> n >> ta >> tb >> with_bias >> act;
  const Floats a = rand_floats(m * k), b = rand_floats(k * n), bias = rand_floats(with_bias ? n : 0);
  Floats c(size_t(m * n));
  dt::matmul(c.data(), a.data(), b.data(), m, k, n, ta, tb, with_bias ? bias.data() : nullptr, dt::Activation(act));
  emit(label, c);
}

void conv_case(std::istringstream& in, const std::string& label) {
  int b, h, w, in_c, out_c, k, s, same, with_bias, act;
  in >> b >> h >> w >> in_c >> out_c >> k >> s >> same >> with_bias >> act;
  const dt::ConvGeom g = conv_geom(b, h, w, in_c, out_c, k, s, same);
  const Floats x = rand_floats(int64_t(b) * h * w * in_c), kernel = glorot_kernel(k, in_c, out_c);
  const Floats bias = rand_floats(with_bias ? out_c : 0);
  const int64_t pixels = int64_t(b) * g.outH * g.outW;
  const float scale = 1.0f / std::sqrt(float(pixels));
  const Floats dy = rand_floats(conv_out(g), -scale, scale);
  Floats y(size_t(conv_out(g))), dx(x.size()), dk(kernel.size());
  dt::conv2d(y.data(), x.data(), kernel.data(), g, with_bias ? bias.data() : nullptr, dt::Activation(act), out_c, 0);
  dt::conv2d_backprop_input(dx.data(), dy.data(), kernel.data(), g);
  dt::conv2d_backprop_filter(dk.data(), x.data(), dy.data(), g);
  emit(label + " forward", y);
  emit(label + " backprop input", dx);
  emit(label + " backprop filter", dk);
}

void conv_pool_case(std::istringstream& in, const std::string& label) {
  int b, h, w, in_c, out_c, k, s, same, p, ps, psame, act;
  in >> b >> h >> w >> in_c >> out_c >> k >> s >> same >> p >> ps >> psame >> act;
  const dt::ConvGeom g = conv_geom(b, h, w, in_c, out_c, k, s, same);
  const dt::PoolGeom pg = pool_geom(b, g.outH, g.outW, out_c, p, ps, psame);
  const Floats x = rand_floats(int64_t(b) * h * w * in_c), kernel = glorot_kernel(k, in_c, out_c);
  const Floats bias = rand_floats(out_c);
  Floats y(size_t(pool_out(pg))), dx(x.size()), dk(kernel.size()), db(static_cast<size_t>(out_c));
  std::vector<uint8_t> winners(y.size());
  dt::conv2d_max_pool(y.data(), winners.data(), x.data(), kernel.data(), g, bias.data(), dt::Activation(act), pg, out_c, 0);
  const float scale = 1.0f / std::sqrt(float(y.size()));
  const Floats dpool = rand_floats(int64_t(y.size()), -scale, scale);
  dt::conv2d_max_pool_backward(dx.data(), dk.data(), db.data(), x.data(), kernel.data(), y.data(), dt::Activation(act),
                               dpool.data(), winners.data(), g, pg);
  Floats cells(winners.begin(), winners.end());
  for (size_t i = 0; i < y.size(); i++) if (y[i] <= 0) cells[i] = -1;  // ties among relu's zeros are arbitrary
  emit(label + " forward", y);
  emit(label + " winners", cells);
  emit(label + " kernel gradient", dk);
  emit(label + " input gradient", dx);
  emit(label + " bias gradient", db);
}

void pool_case(std::istringstream& in, const std::string& label) {
  int b, h, w, c, p, s, same;
  in >> b >> h >> w >> c >> p >> s >> same;
  const dt::PoolGeom g = pool_geom(b, h, w, c, p, s, same);
  const Floats x = rand_floats(int64_t(b) * h * w * c), dy = rand_floats(pool_out(g));
  Floats y(size_t(pool_out(g))), dx(x.size());
  dt::max_pool(y.data(), x.data(), g);
  emit(label + " max", y);
  dt::max_pool_backward(dx.data(), x.data(), dy.data(), g);
  emit(label + " max backward", dx);
  dt::avg_pool(y.data(), x.data(), g);
  emit(label + " average", y);
  dt::avg_pool_backward(dx.data(), dy.data(), g);
  emit(label + " average backward", dx);
}

void elementwise_case(std::istringstream& in, const std::string& label) {
  int64_t n;
  in >> n;
  const Floats x = rand_floats(n, -3, 3), positive = rand_floats(n, 0.1f, 4), dy = rand_floats(n);
  Floats y(static_cast<size_t>(n)), dx(static_cast<size_t>(n));
  for (int op = 0; op <= int(dt::UnaryOp::Tanh); op++) {
    const bool needs_positive = op == int(dt::UnaryOp::Log) || op == int(dt::UnaryOp::Sqrt);
    dt::unary(y.data(), dt::UnaryOp(op), (needs_positive ? positive : x).data(), n);
    emit(label + " unary " + std::to_string(op), y);
  }
  for (int act = int(dt::Activation::Relu); act <= int(dt::Activation::Tanh); act++) {
    dt::activation_grad(dx.data(), dt::Activation(act), positive.data(), dy.data(), n);
    emit(label + " activation gradient " + std::to_string(act), dx);
  }
  const int32_t a_shape[] = {int32_t(n / 8), 8}, b_shape[] = {1, 8};
  const Floats b = rand_floats(8, 0.5f, 2);
  for (int op = 0; op <= int(dt::BinaryOp::Minimum); op++) {
    const bool pow = op == int(dt::BinaryOp::Pow);
    dt::binary(y.data(), dt::BinaryOp(op), (pow ? positive : x).data(), {a_shape, 2}, b.data(), {b_shape, 2}, {a_shape, 2});
    emit(label + " binary " + std::to_string(op), y.data(), n / 8 * 8);
  }
  Floats sums(static_cast<size_t>(n / 8));
  dt::reduce(sums.data(), dt::ReduceOp::Sum, x.data(), n / 8, 8, 1);
  emit(label + " reduce sum", sums);
  dt::softmax(y.data(), x.data(), n / 8, 8);
  emit(label + " softmax", y.data(), n / 8 * 8);
}

void optimizer_case(std::istringstream& in, const std::string& label) {
  int64_t n;
  in >> n;
  const Floats g = rand_floats(n);
  const size_t count = static_cast<size_t>(n);
  Floats w = rand_floats(n), velocity(count), square(count), m(count), v(count);
  for (int step = 0; step < 3; step++) {
    dt::sgd_update(w.data(), g.data(), velocity.data(), n, 0.01f, 0.9f, step == 1);
    dt::rmsprop_update(w.data(), g.data(), square.data(), n, 1e-3f, 0.9f, 1e-7f);
    dt::adam_update(w.data(), g.data(), m.data(), v.data(), n, 1e-3f, 0.9f, 0.999f, 1e-7f);
  }
  emit(label + " weights", w);
}

void warp_case(std::istringstream& in, const std::string& label) {
  int64_t h, w, c;
  in >> h >> w >> c;
  const Floats src = rand_floats(h * w * c, -3, 3);
  std::vector<uint8_t> bytes(src.size());
  for (size_t i = 0; i < src.size(); i++) bytes[i] = uint8_t(int((src[i] + 3) * 42.5f) & 0xff);
  Floats out(src.size());
  const double map[] = {0.9, 0.3, -1.5, -0.2, 1.1, 2.25};
  for (int fill = 0; fill <= int(dt::FillMode::Wrap); fill++) {
    const bool flip = fill % 2 == 1;
    dt::affine_warp(out.data(), src.data(), h, w, c, map, dt::FillMode(fill), 0.5f, 1.0f / 255, flip, !flip);
    emit(label + " fill " + std::to_string(fill), out);
    dt::affine_warp_u8(out.data(), bytes.data(), h, w, c, map, dt::FillMode(fill), 0.5f, 1.0f / 255, flip, false);
    emit(label + " 8-bit fill " + std::to_string(fill), out);
  }
}

}  // namespace

int main() {
#if defined(_WIN32)
  _setmode(_fileno(stdout), _O_BINARY);  // the records are bytes: no \n → \r\n
#endif
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string kind;
    in >> kind;
    if (kind == "matmul") matmul_case(in, line);
    else if (kind == "conv") conv_case(in, line);
    else if (kind == "convpool") conv_pool_case(in, line);
    else if (kind == "pool") pool_case(in, line);
    else if (kind == "elementwise") elementwise_case(in, line);
    else if (kind == "optimizer") optimizer_case(in, line);
    else if (kind == "warp") warp_case(in, line);
    else if (!kind.empty()) {
      std::cerr << "harness: unknown case '" << kind << "'\n";
      return 2;
    }
  }
  return 0;
}
