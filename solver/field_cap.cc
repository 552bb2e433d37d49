#include "solver/field_cap.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>

namespace mpstream::solver
{
  std::vector<double> LinearFieldModel::normal_field(const std::vector<double> &Q) const
  {
    std::vector<double> E(size(), 0.0);
    for (std::size_t i = 0; i < size(); ++i)
      {
        double s = field_offset.empty() ? 0.0 : field_offset[i];
        for (std::size_t j = 0; j < Q.size(); ++j)
          s += field_per_charge[i][j] * Q[j];
        E[i] = s;
      }
    return E;
  }

  std::vector<double> solve_dense(DenseMatrix A, std::vector<double> b)
  {
    const std::size_t n = b.size();
    for (std::size_t k = 0; k < n; ++k)
      {
        std::size_t p = k;
        for (std::size_t i = k + 1; i < n; ++i)
          if (std::abs(A[i][k]) > std::abs(A[p][k]))
            p = i;
        double scale = 0;
        for (std::size_t j = 0; j < n; ++j)
          scale = std::max(scale, std::abs(A[p][j]));
        if (!(std::abs(A[p][k]) > 1e-14 * scale))
          throw RuntimeFailure("charging: singular linear system (pivot " + std::to_string(k) + ")");
        std::swap(A[p], A[k]);
        std::swap(b[p], b[k]);
        for (std::size_t i = k + 1; i < n; ++i)
          {
            const double m = A[i][k] / A[k][k];
            if (m == 0)
              continue;
            for (std::size_t j = k; j < n; ++j)
              A[i][j] -= m * A[k][j];
            b[i] -= m * b[k];
          }
      }
    std::vector<double> x(n);
    for (std::size_t k = n; k-- > 0;)
      {
        double s = b[k];
        for (std::size_t j = k + 1; j < n; ++j)
          s -= A[k][j] * x[j];
        x[k] = s / A[k][k];
      }
    return x;
  }

  FieldCapResult solve_field_cap(const LinearFieldModel &model, const std::vector<double> &Q0,
                                 const std::vector<double> &caps, unsigned int max_iterations, double tolerance)
  {
    const std::size_t N = model.size();
    if (Q0.size() != N || caps.size() != N)
      throw InputError("field cap: " + std::to_string(Q0.size()) + " charges and " + std::to_string(caps.size()) +
                       " caps for a field model of " + std::to_string(N) + " spheres");
    for (std::size_t i = 0; i < N; ++i)
      {
        if (!(caps[i] > 0) || !std::isfinite(caps[i]))
          throw InputError("field cap: cap of sphere " + std::to_string(i) + " = " + std::to_string(caps[i]) +
                           " V/m must be > 0");
        if (!std::isfinite(Q0[i]))
          throw InputError("field cap: charge of sphere " + std::to_string(i) + " is not finite");
      }
    // Emission-direction field g_i = s_i E.n_i, s_i = sign(Q0_i): for a negative sphere the
    // electrons leave where E.n < 0, pulled by the field -E.n. g(x) = M x + b.
    std::vector<double> s(N), b(N);
    DenseMatrix M(N, std::vector<double>(N, 0.0));
    std::vector<bool> free(N);
    for (std::size_t i = 0; i < N; ++i)
      {
        s[i]    = Q0[i] < 0 ? -1.0 : 1.0;
        free[i] = Q0[i] != 0;
        b[i]    = s[i] * (model.field_offset.empty() ? 0.0 : model.field_offset[i]);
        for (std::size_t j = 0; j < N; ++j)
          M[i][j] = s[i] * model.field_per_charge[i][j] * Q0[j];
      }
    for (std::size_t i = 0; i < N; ++i)
      if (free[i] && !(M[i][i] > 0))
        throw RuntimeFailure("field cap: sphere " + std::to_string(i) +
                             " does not lower its own field when it loses charge (M_ii = " +
                             std::to_string(M[i][i]) + "); the field response is wrong");
    auto g_of = [&](const std::vector<double> &x) {
      std::vector<double> g(b);
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
          g[i] += M[i][j] * x[j];
      return g;
    };
    // Relative mid-function residual: x_i - mid(0, 1, x_i - (g_i - cap_i) / M_ii).
    auto residual_of = [&](const std::vector<double> &x, const std::vector<double> &g) {
      double r = 0;
      for (std::size_t i = 0; i < N; ++i)
        if (free[i])
          r = std::max(r, std::abs(x[i] - std::clamp(x[i] - (g[i] - caps[i]) / M[i][i], 0.0, 1.0)));
      return r;
    };

    std::vector<double> x(N, 1.0);
    for (std::size_t i = 0; i < N; ++i)
      if (!free[i])
        x[i] = 0;
    std::set<std::vector<int>> seen;
    FieldCapResult result;
    std::vector<double> g = g_of(x);
    for (unsigned int it = 1; it <= max_iterations; ++it)
      {
        // Active sets from the mid function: upper (x = 1), lower (x = 0), inactive (g = cap).
        std::vector<int> state(N, 0); // 1 upper, -1 lower, 0 inactive; fixed spheres: 2
        for (std::size_t i = 0; i < N; ++i)
          {
            if (!free[i])
              {
                state[i] = 2;
                continue;
              }
            const double y = x[i] - (g[i] - caps[i]) / M[i][i];
            state[i]       = y >= 1 ? 1 : (y <= 0 ? -1 : 0);
          }
        std::vector<std::size_t> inactive;
        for (std::size_t i = 0; i < N; ++i)
          if (state[i] == 0)
            inactive.push_back(i);
        std::vector<double> xn(N);
        for (std::size_t i = 0; i < N; ++i)
          xn[i] = state[i] == 1 ? 1.0 : 0.0;
        if (!inactive.empty())
          {
            const std::size_t n = inactive.size();
            DenseMatrix A(n, std::vector<double>(n));
            std::vector<double> rhs(n);
            for (std::size_t a = 0; a < n; ++a)
              {
                const std::size_t i = inactive[a];
                rhs[a]              = caps[i] - b[i];
                for (std::size_t j = 0; j < N; ++j)
                  if (state[j] != 0)
                    rhs[a] -= M[i][j] * xn[j];
                for (std::size_t c = 0; c < n; ++c)
                  A[a][c] = M[i][inactive[c]];
              }
            const auto xi = solve_dense(A, rhs);
            for (std::size_t a = 0; a < n; ++a)
              xn[inactive[a]] = xi[a];
          }
        x                 = xn;
        g                 = g_of(x);
        result.iterations = it;
        result.residual   = residual_of(x, g);
        if (result.residual <= tolerance)
          break;
        if (!seen.insert(state).second)
          {
            std::ostringstream msg;
            msg << "field cap: the active-set iteration cycles after " << it << " iterations (residual "
                << result.residual << ")";
            throw RuntimeFailure(msg.str());
          }
        if (it == max_iterations)
          {
            std::ostringstream msg;
            msg << "field cap: no convergence in " << it << " iterations (residual " << result.residual << ")";
            throw RuntimeFailure(msg.str());
          }
      }
    result.kept_fraction = x;
    result.model_field   = g;
    result.charges.resize(N);
    for (std::size_t i = 0; i < N; ++i)
      {
        result.charges[i] = free[i] ? x[i] * Q0[i] : 0.0;
        if (!free[i])
          result.kept_fraction[i] = 1.0;
        else if (x[i] <= tolerance && g[i] > caps[i] * (1 + 1e-9))
          result.infeasible.push_back(i);
        else if (x[i] < 1 - 1e-12)
          result.capped.push_back(i);
      }
    return result;
  }

  FieldCapResult solve_field_cap_multipoint(const std::vector<std::size_t> &sphere_of_row, const DenseMatrix &F,
                                            const std::vector<double> &offset, const std::vector<double> &cap,
                                            const std::vector<double> &Q0, unsigned int max_steps)
  {
    const std::size_t N = Q0.size(), K = sphere_of_row.size();
    if (F.size() != K || offset.size() != K || cap.size() != K)
      throw InputError("field cap: " + std::to_string(K) + " constraint points, but " + std::to_string(F.size()) +
                       " rows, " + std::to_string(offset.size()) + " offsets and " + std::to_string(cap.size()) +
                       " caps");
    std::vector<std::vector<std::size_t>> of_sphere(N);
    for (std::size_t k = 0; k < K; ++k)
      {
        if (sphere_of_row[k] >= N || F[k].size() != N)
          throw InputError("field cap: constraint row " + std::to_string(k) + " does not fit " + std::to_string(N) +
                           " spheres");
        if (!(cap[k] > 0))
          throw InputError("field cap: constraint row " + std::to_string(k) + " has a cap <= 0");
        of_sphere[sphere_of_row[k]].push_back(k);
      }
    for (std::size_t i = 0; i < N; ++i)
      if (of_sphere[i].empty())
        throw InputError("field cap: sphere " + std::to_string(i) + " has no constraint point");
    // Row k in kept fractions x: emission-direction field over its cap, s_k F_k . (Q0 x) + c_k,
    // evaluated from the table itself (no scaled copy).
    std::vector<double> s(K), c(K);
    for (std::size_t k = 0; k < K; ++k)
      {
        s[k] = (Q0[sphere_of_row[k]] < 0 ? -1.0 : 1.0) / cap[k];
        c[k] = s[k] * offset[k];
      }
    std::vector<double> charges(N);
    auto set_charges = [&](const std::vector<double> &x) {
      for (std::size_t j = 0; j < N; ++j)
        charges[j] = Q0[j] * x[j];
    };
    auto relative = [&](std::size_t k) {
      double g = 0;
      for (std::size_t j = 0; j < N; ++j)
        g += F[k][j] * charges[j];
      return c[k] + s[k] * g;
    };
    // Binding row of each sphere: the largest relative field.
    auto select = [&](const std::vector<double> &x, std::vector<double> &h) {
      std::vector<std::size_t> sel(N);
      h.assign(N, 0.0);
      set_charges(x);
      for (std::size_t i = 0; i < N; ++i)
        {
          sel[i] = of_sphere[i][0];
          h[i]   = relative(sel[i]);
          for (const std::size_t k : of_sphere[i])
            {
              const double g = relative(k);
              if (g > h[i])
                {
                  h[i]   = g;
                  sel[i] = k;
                }
            }
          h[i] -= 1;
        }
      return sel;
    };
    // Natural residual of the nonsmooth system: zero iff every sphere either keeps x = 1 with
    // all rows within the cap, or sits at the cap with 0 < x < 1, or is at x = 0 above it.
    auto merit = [&](const std::vector<double> &x) {
      std::vector<double> h;
      select(x, h);
      double r = 0;
      for (std::size_t i = 0; i < N; ++i)
        if (Q0[i] != 0)
          r = std::max(r, std::abs(x[i] - std::clamp(x[i] - h[i], 0.0, 1.0)));
      return r;
    };
    // Semismooth Newton on max_k(row k) = cap: each step solves the problem with the binding
    // rows fixed (solve_field_cap, exact); backtracking on the merit keeps it from cycling
    // between two rows of one sphere that take turns being the largest (a kink of the max).
    std::vector<double> x(N, 1.0), h;
    for (std::size_t i = 0; i < N; ++i)
      if (Q0[i] == 0)
        x[i] = 0;
    double r            = merit(x);
    unsigned int total  = 0, step = 0;
    const double tol    = 1e-9;
    FieldCapResult result;
    while (r > tol)
      {
        if (++step > max_steps)
          {
            std::ostringstream msg;
            msg << "field cap: no convergence in " << max_steps << " semismooth Newton steps on " << K
                << " constraint points (residual " << r << ")";
            throw RuntimeFailure(msg.str());
          }
        const auto sel = select(x, h);
        LinearFieldModel model;
        std::vector<double> caps(N);
        model.field_offset.resize(N);
        for (std::size_t i = 0; i < N; ++i)
          {
            model.field_per_charge.push_back(F[sel[i]]);
            model.field_offset[i] = offset[sel[i]];
            caps[i]               = cap[sel[i]];
          }
        const auto trial = solve_field_cap(model, Q0, caps);
        total += trial.iterations;
        std::vector<double> y(N);
        for (std::size_t i = 0; i < N; ++i)
          y[i] = Q0[i] != 0 ? trial.charges[i] / Q0[i] : 0.0;
        double lambda = 1, r_new = merit(y);
        std::vector<double> z = y;
        while (!(r_new < (1 - 1e-4 * lambda) * r) && lambda > 1e-8)
          {
            lambda /= 2;
            for (std::size_t i = 0; i < N; ++i)
              z[i] = x[i] + lambda * (y[i] - x[i]);
            r_new = merit(z);
          }
        if (!(r_new < r))
          {
            std::ostringstream msg;
            msg << "field cap: the semismooth Newton step does not reduce the residual " << r << " after " << step
                << " steps on " << K << " constraint points";
            throw RuntimeFailure(msg.str());
          }
        x = z;
        r = r_new;
      }
    // Result in the form of solve_field_cap.
    select(x, h);
    result.kept_fraction = x;
    result.model_field.resize(N);
    result.charges.resize(N);
    for (std::size_t i = 0; i < N; ++i)
      {
        result.charges[i]     = x[i] * Q0[i];
        result.model_field[i] = (h[i] + 1) * cap[of_sphere[i][0]];
        if (Q0[i] == 0)
          {
            result.kept_fraction[i] = 1.0;
            continue;
          }
        if (x[i] <= tol && h[i] > 1e-9)
          result.infeasible.push_back(i);
        else if (x[i] < 1 - 1e-12)
          result.capped.push_back(i);
      }
    result.iterations = total;
    result.residual   = r;
    return result;
  }
} // namespace mpstream::solver
