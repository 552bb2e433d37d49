#include "solver/self_consistent_charging.h"

#include "common/error.h"

#include <cmath>
#include <algorithm>
#include <numeric>
#include <optional>
#include <sstream>

namespace mpstream::solver
{
  std::string to_string(SelfConsistentMethod method)
  {
    switch (method)
      {
        case SelfConsistentMethod::bracketed_scale:
          return "bracketed scale";
        case SelfConsistentMethod::anderson:
          return "anderson";
        case SelfConsistentMethod::damped:
          return "damped";
      }
    return "unknown";
  }

  void SelfConsistentSettings::validate() const
  {
    if (max_iterations < 1)
      throw QuantityError("self_consistent_iterations", std::to_string(max_iterations), "must be >= 1");
    if (!(tolerance > 0 && tolerance < 1))
      throw QuantityError("self_consistent_tolerance", QuantityError::text(tolerance), "must be in (0, 1)");
    if (!(damping > 0 && damping <= 1))
      throw QuantityError("self_consistent_damping", QuantityError::text(damping), "must be in (0, 1]");
  }

  namespace
  {
    double mean(const std::vector<double> &v)
    {
      return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    }
  } // namespace

  std::string history_text(const std::vector<SelfConsistentIterate> &history)
  {
    std::ostringstream text;
    text.precision(4);
    for (const auto &it : history)
      {
        text << (it.iteration ? "; " : "") << it.iteration << ": " << it.potential_min_V / 1e3 << " kV (q "
             << it.q_mean;
        if (it.iteration)
          text << ", change " << 100 * it.relative_change << " %";
        text << ')';
      }
    return text.str();
  }

  namespace
  {
    // Anderson acceleration (type II, Walker & Ni, SIAM J. Numer. Anal. 49 (2011) 1715) of the
    // fixed-point map G on its last few iterates: with residuals f = G(q) - q, the step
    //   q+ = q + beta f - (dQ + beta dF) gamma,  gamma = argmin |f - dF gamma|_2,
    // where dQ, dF hold the differences of consecutive iterates and residuals. With one
    // difference it is a secant method along the dominant direction: it converges where the
    // damped iteration oscillates (a map steeper than 1 / beta, as q(V) is near the potential
    // at which primaries stop reaching the spheres).
    class AndersonMixing
    {
    public:
      AndersonMixing(std::size_t depth, double beta) : depth_(depth), beta_(beta) {}

      std::vector<double> next(const std::vector<double> &q, const std::vector<double> &f)
      {
        if (!q_prev_.empty())
          {
            dQ_.push_back(difference(q, q_prev_));
            dF_.push_back(difference(f, f_prev_));
            if (dQ_.size() > depth_)
              {
                dQ_.erase(dQ_.begin());
                dF_.erase(dF_.begin());
              }
          }
        q_prev_ = q;
        f_prev_ = f;
        const std::vector<double> gamma = least_squares(f);
        std::vector<double> out(q.size());
        for (std::size_t i = 0; i < q.size(); ++i)
          {
            out[i] = q[i] + beta_ * f[i];
            for (std::size_t j = 0; j < gamma.size(); ++j)
              out[i] -= gamma[j] * (dQ_[j][i] + beta_ * dF_[j][i]);
          }
        return out;
      }

    private:
      static std::vector<double> difference(const std::vector<double> &a, const std::vector<double> &b)
      {
        std::vector<double> d(a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
          d[i] = a[i] - b[i];
        return d;
      }
      // gamma minimising |f - dF gamma| by the normal equations (at most depth_ unknowns),
      // Tikhonov-regularised by 1e-10 of the diagonal's largest entry against dependent columns.
      std::vector<double> least_squares(const std::vector<double> &f) const
      {
        const std::size_t m = dF_.size();
        std::vector<std::vector<double>> A(m, std::vector<double>(m + 1, 0.0));
        double diagonal = 0;
        for (std::size_t a = 0; a < m; ++a)
          {
            for (std::size_t b = 0; b < m; ++b)
              A[a][b] = std::inner_product(dF_[a].begin(), dF_[a].end(), dF_[b].begin(), 0.0);
            A[a][m]  = std::inner_product(dF_[a].begin(), dF_[a].end(), f.begin(), 0.0);
            diagonal = std::max(diagonal, A[a][a]);
          }
        for (std::size_t a = 0; a < m; ++a)
          A[a][a] += 1e-10 * diagonal + 1e-300;
        for (std::size_t c = 0; c < m; ++c) // Gaussian elimination (symmetric positive definite)
          for (std::size_t r = c + 1; r < m; ++r)
            {
              const double factor = A[r][c] / A[c][c];
              for (std::size_t k = c; k <= m; ++k)
                A[r][k] -= factor * A[c][k];
            }
        std::vector<double> gamma(m, 0.0);
        for (std::size_t c = m; c-- > 0;)
          {
            double sum = A[c][m];
            for (std::size_t k = c + 1; k < m; ++k)
              sum -= A[c][k] * gamma[k];
            gamma[c] = sum / A[c][c];
          }
        return gamma;
      }

      std::size_t depth_;
      double beta_;
      std::vector<double> q_prev_, f_prev_;
      std::vector<std::vector<double>> dQ_, dF_;
    };

    // The charge scale s = mean q bracketed and found by the Illinois regula falsi on
    // h(s) = mean q_MC(s) - s, with the per-sphere shape of the latest Monte Carlo: at the root
    // q = s shape equals the Monte Carlo's q, the fixed point itself. h(0) = mean of the
    // field-free q > 0 (no charge: no field) brackets from below for free; until h < 0 is met the
    // plain iteration s <- mean q_MC moves up. Robust where q(V) has a cliff (primaries stop
    // reaching the spheres) and against Monte Carlo noise, which moves h, not the bracket logic.
    class BracketedScale
    {
    public:
      explicit BracketedScale(const std::vector<double> &q0) : lo_(Point{0.0, mean(q0)}) {}

      // Whether a root (or a jump of h through zero: the cliff) is bracketed, the bracket's
      // width relative to its upper end, and the last residual relative to its scale.
      bool bracketed() const { return hi_.has_value(); }
      double relative_width() const { return hi_ ? (hi_->s - lo_->s) / std::max(hi_->s, 1e-300) : 1.0; }
      double relative_residual() const { return last_relative_residual_; }

      std::vector<double> next(const std::vector<double> &q, const std::vector<double> &q_field)
      {
        const double s = mean(q), m = mean(q_field), h = m - s;
        last_relative_residual_ = std::abs(h) / std::max(s, 1e-300);
        if (m > 0)
          {
            shape_ = q_field;
            for (auto &x : shape_)
              x /= m;
          }
        else if (shape_.empty())
          shape_.assign(q.size(), 1.0);
        double s_next = m;
        if (h > 0)
          keep(lo_, hi_, {s, h}, hi_retained_, lo_retained_);
        else
          keep(hi_, lo_, {s, h}, lo_retained_, hi_retained_);
        if (hi_)
          s_next = lo_->s - lo_->h * (hi_->s - lo_->s) / (hi_->h - lo_->h);
        std::vector<double> out(shape_.size());
        for (std::size_t i = 0; i < out.size(); ++i)
          out[i] = s_next * shape_[i];
        return out;
      }

    private:
      struct Point
      {
        double s, h;
      };
      // Replaces `side` by p; the other end, retained again, gets its h halved (Illinois).
      static void keep(std::optional<Point> &side, std::optional<Point> &other, Point p, int &other_retained,
                       int &side_retained)
      {
        side          = p;
        side_retained = 0;
        if (other && ++other_retained >= 2)
          other->h *= 0.5;
      }
      std::optional<Point> lo_, hi_;
      int lo_retained_ = 0, hi_retained_ = 0;
      double last_relative_residual_ = 1.0;
      std::vector<double> shape_;
    };
  } // namespace

  SelfConsistentOutcome iterate_self_consistent_q(
    std::vector<double> q, const std::function<double(const std::vector<double> &)> &potential_min_of_state,
    const std::function<std::vector<double>()> &q_in_field, const SelfConsistentSettings &settings)
  {
    settings.validate();
    SelfConsistentOutcome out;
    double V = potential_min_of_state(q);
    out.history.push_back({0, V, mean(q), 0.0});
    AndersonMixing mixing(settings.method == SelfConsistentMethod::anderson ? settings.anderson_depth : 0,
                          settings.damping);
    BracketedScale bracket(q);
    for (unsigned int k = 1; k <= settings.max_iterations; ++k)
      {
        const std::vector<double> q_field = q_in_field();
        if (q_field.size() != q.size())
          throw RuntimeFailure("self-consistent charging: the Monte Carlo returned " + std::to_string(q_field.size()) +
                               " charge fractions for " + std::to_string(q.size()) + " spheres");
        std::vector<double> residual(q.size());
        for (std::size_t i = 0; i < q.size(); ++i)
          residual[i] = q_field[i] - q[i];
        q = settings.method == SelfConsistentMethod::bracketed_scale ? bracket.next(q, q_field)
                                                                    : mixing.next(q, residual);
        for (auto &qi : q) // a charge fraction stays >= 0 (extrapolation may overshoot)
          qi = std::max(qi, 0.0);
        const double V_next = potential_min_of_state(q);
        if (!std::isfinite(V_next))
          throw RuntimeFailure("self-consistent charging: the minimum potential is not finite after iteration " +
                               std::to_string(k));
        const double change = std::abs(V_next - V) / std::max(std::abs(V), 1e-300);
        V                   = V_next;
        out.history.push_back({k, V, mean(q), change});
        // The bracketed scale also needs its bracket closed (or the residual small): two
        // iterates on the same side of a cliff can lie close while the cliff is far.
        const bool bracket_settled = settings.method != SelfConsistentMethod::bracketed_scale || !bracket.bracketed() ||
                                     bracket.relative_width() < settings.tolerance ||
                                     bracket.relative_residual() < settings.tolerance;
        if (change < settings.tolerance && bracket_settled)
          {
            out.q = q;
            // Settled by the bracket with a residual still large: h jumps through zero there.
            out.at_cliff = settings.method == SelfConsistentMethod::bracketed_scale && bracket.bracketed() &&
                           bracket.relative_residual() >= settings.tolerance;
            return out;
          }
      }
    std::ostringstream why;
    why << "did not converge: the minimum potential still changed by "
        << 100 * out.history.back().relative_change << " % in the last iteration (tolerance "
        << 100 * settings.tolerance << " %); iterations " << history_text(out.history);
    throw QuantityError("self_consistent_iterations", std::to_string(settings.max_iterations), why.str());
  }
} // namespace mpstream::solver
