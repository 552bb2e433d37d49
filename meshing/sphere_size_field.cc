#include "meshing/sphere_size_field.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mpstream::meshing
{
  namespace
  {
    constexpr std::size_t leaf_size = 8;
    constexpr std::size_t none      = std::numeric_limits<std::size_t>::max();

    // Distance from the query to a ball's centre, computed as BallField does.
    double centre_distance(const SizeBall &ball, double x, double y, double z)
    {
      const double dx = x - ball.centre[0];
      const double dy = y - ball.centre[1];
      const double dz = z - ball.centre[2];
      return std::sqrt(dx * dx + dy * dy + dz * dz);
    }

    double box_distance(const std::array<double, 3> &q, const std::array<double, 3> &lower,
                        const std::array<double, 3> &upper)
    {
      double sum = 0;
      for (int k = 0; k < 3; ++k)
        {
          const double gap = std::max({lower[k] - q[k], 0.0, q[k] - upper[k]});
          sum += gap * gap;
        }
      return std::sqrt(sum);
    }

    // Rounding margin of the pruning tests: the box distance and a ball's computed distance
    // differ from the exact ones by a few 1e-16 relative; 1e-12 makes a pruned node certain.
    double margin(double a, double b, double c) { return 1e-12 * (std::abs(a) + std::abs(b) + std::abs(c)); }

    bool same_grading(const SizeBall &a, const SizeBall &b)
    {
      return a.v_in == b.v_in && a.v_out == b.v_out && a.thickness == b.thickness &&
             a.exponent == b.exponent && a.growth == b.growth;
    }
  } // namespace

  double ball_size(const SizeBall &ball, double x, double y, double z)
  {
    const double d = centre_distance(ball, x, y, z);
    if (d < ball.radius)
      return ball.v_in;
    if (ball.thickness > 0)
      {
        const double dist = d - ball.radius;
        if (dist <= ball.thickness)
          {
            if (ball.exponent == 1)
              return ball.v_in + (dist / ball.thickness) * (ball.v_out - ball.v_in);
            const double stretch = 1 + ball.growth * dist / (ball.exponent * ball.v_in);
            return std::min(ball.v_out, ball.v_in * std::pow(stretch, ball.exponent));
          }
      }
    return ball.v_out;
  }

  SizeBall graded_ball(const std::array<double, 3> &centre, double radius, double v_in, double v_out,
                       double growth, double exponent)
  {
    SizeBall ball{centre, radius, v_in, v_out, 0};
    if (exponent == 1)
      ball.thickness = std::max(v_out - v_in, 0.0) / growth;
    else
      {
        ball.exponent  = exponent;
        ball.growth    = growth;
        ball.thickness = exponent * v_in / growth * (std::pow(std::max(v_out / v_in, 1.0), 1 / exponent) - 1);
      }
    return ball;
  }

  void SphereSizeField::Tree::build(std::vector<SizeBall> list)
  {
    balls = std::move(list);
    nodes.clear();
    if (balls.empty())
      return;
    // Iterative top-down build: split the longest side of the centres' box at the median.
    nodes.push_back({});
    std::vector<std::pair<std::size_t, std::pair<std::size_t, std::size_t>>> pending = {{0, {0, balls.size()}}};
    while (!pending.empty())
      {
        const auto [index, range] = pending.back();
        pending.pop_back();
        Node node{};
        node.begin = range.first;
        node.end   = range.second;
        node.lower = node.upper = balls[node.begin].centre;
        node.max_radius = balls[node.begin].radius;
        for (std::size_t i = node.begin; i < node.end; ++i)
          {
            for (int k = 0; k < 3; ++k)
              {
                node.lower[k] = std::min(node.lower[k], balls[i].centre[k]);
                node.upper[k] = std::max(node.upper[k], balls[i].centre[k]);
              }
            node.max_radius = std::max(node.max_radius, balls[i].radius);
          }
        if (node.end - node.begin > leaf_size)
          {
            int axis = 0;
            for (int k = 1; k < 3; ++k)
              if (node.upper[k] - node.lower[k] > node.upper[axis] - node.lower[axis])
                axis = k;
            const std::size_t middle = node.begin + (node.end - node.begin) / 2;
            std::nth_element(balls.begin() + static_cast<std::ptrdiff_t>(node.begin),
                             balls.begin() + static_cast<std::ptrdiff_t>(middle),
                             balls.begin() + static_cast<std::ptrdiff_t>(node.end),
                             [axis](const SizeBall &a, const SizeBall &b) { return a.centre[axis] < b.centre[axis]; });
            node.left  = nodes.size();
            node.right = nodes.size() + 1;
            nodes.push_back({});
            nodes.push_back({});
            pending.push_back({node.left, {node.begin, middle}});
            pending.push_back({node.right, {middle, node.end}});
          }
        nodes[index] = node;
      }
  }

  SphereSizeField::SphereSizeField(std::vector<SizeBall> balls)
  {
    std::vector<SizeBall> graded, sharp;
    for (const auto &b : balls)
      (b.thickness > 0 ? graded : sharp).push_back(b);
    for (const auto &b : graded)
      if (!same_grading(b, graded.front()) || !(b.v_in <= b.v_out))
        throw std::invalid_argument("SphereSizeField: graded balls must share VIn <= VOut and Thickness");
    for (const auto &b : sharp)
      if (b.v_out != sharp.front().v_out)
        throw std::invalid_argument("SphereSizeField: balls without a transition layer must share VOut");
    graded_.build(std::move(graded));
    sharp_.build(std::move(sharp));
  }

  double SphereSizeField::operator()(double x, double y, double z) const
  {
    const std::array<double, 3> q = {x, y, z};
    return std::min(graded_minimum(q), sharp_minimum(q));
  }

  // Graded balls share VIn <= VOut and Thickness, so a ball's size is a non-decreasing
  // function of its surface distance d - R up to the end of its transition layer (each
  // floating-point step of BallField is monotone), and VOut beyond. The minimum over balls is
  // therefore the size of the ball with the nearest surface within the layer, except where
  // rounding lifts VIn + 1 * (VOut - VIn) above VOut at the layer's very end: then VOut from
  // any ball beyond its layer is smaller.
  double SphereSizeField::graded_minimum(const std::array<double, 3> &q) const
  {
    if (graded_.balls.empty())
      return no_ball_size;
    const SizeBall &shared = graded_.balls.front();
    double best_distance   = shared.thickness;
    std::size_t best_ball  = none;
    nearest_surface(q, 0, best_distance, best_ball);
    if (best_ball == none)
      return shared.v_out; // every ball is beyond its transition layer
    const double size = ball_size(graded_.balls[best_ball], q[0], q[1], q[2]);
    if (size <= shared.v_out || !any_graded_ball_beyond_thickness(q))
      return size;
    return shared.v_out;
  }

  void SphereSizeField::nearest_surface(const std::array<double, 3> &q, std::size_t index,
                                        double &best_distance, std::size_t &best_ball) const
  {
    const Node &node   = graded_.nodes[index];
    const double bound = box_distance(q, node.lower, node.upper) - node.max_radius;
    if (bound > best_distance + margin(bound, best_distance, node.max_radius))
      return;
    if (node.left == 0)
      {
        for (std::size_t i = node.begin; i < node.end; ++i)
          {
            const SizeBall &b    = graded_.balls[i];
            const double surface = centre_distance(b, q[0], q[1], q[2]) - b.radius;
            if (surface < best_distance || (best_ball == none && surface <= best_distance))
              {
                best_distance = surface;
                best_ball     = i;
              }
          }
        return;
      }
    // Nearer child first: its candidates tighten the bound for the other.
    const Node &l = graded_.nodes[node.left], &r = graded_.nodes[node.right];
    const bool left_first = box_distance(q, l.lower, l.upper) - l.max_radius <=
                            box_distance(q, r.lower, r.upper) - r.max_radius;
    nearest_surface(q, left_first ? node.left : node.right, best_distance, best_ball);
    nearest_surface(q, left_first ? node.right : node.left, best_distance, best_ball);
  }

  // Only reached in the rounding corner case above, so a plain scan is fine.
  bool SphereSizeField::any_graded_ball_beyond_thickness(const std::array<double, 3> &q) const
  {
    return std::any_of(graded_.balls.begin(), graded_.balls.end(), [&q](const SizeBall &b) {
      return !(centre_distance(b, q[0], q[1], q[2]) - b.radius <= b.thickness);
    });
  }

  // Sharp balls give VIn inside, the shared VOut outside: the minimum is the smallest size of
  // the balls that may contain the query, or VOut if some ball certainly does not.
  double SphereSizeField::sharp_minimum(const std::array<double, 3> &q) const
  {
    if (sharp_.balls.empty())
      return no_ball_size;
    double minimum      = no_ball_size;
    std::size_t visited = 0;
    containing(q, 0, minimum, visited);
    if (visited < sharp_.balls.size())
      minimum = std::min(minimum, sharp_.balls.front().v_out);
    return minimum;
  }

  void SphereSizeField::containing(const std::array<double, 3> &q, std::size_t index, double &minimum,
                                   std::size_t &visited) const
  {
    const Node &node      = sharp_.nodes[index];
    const double distance = box_distance(q, node.lower, node.upper);
    if (distance > node.max_radius + margin(distance, node.max_radius, 0))
      return; // outside every ball below: each gives VOut
    if (node.left != 0)
      {
        containing(q, node.left, minimum, visited);
        containing(q, node.right, minimum, visited);
        return;
      }
    for (std::size_t i = node.begin; i < node.end; ++i)
      minimum = std::min(minimum, ball_size(sharp_.balls[i], q[0], q[1], q[2]));
    visited += node.end - node.begin;
  }
} // namespace mpstream::meshing
