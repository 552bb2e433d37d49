// Sphere layouts as CSV: any configuration (e.g. from a particle-dynamics code) can be solved.
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/parse_number.h"
#include "layout/stream_layout.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace mpstream::layout
{
  namespace
  {
    std::string trim(const std::string &s)
    {
      const auto begin = s.find_first_not_of(" \t\r");
      const auto end   = s.find_last_not_of(" \t\r");
      return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
    }

    // Spheres sharing a centre height are put on one layer, numbered bottom up.
    void assign_layers_by_height(StreamLayout &layout)
    {
      for (const auto &s : layout.spheres)
        {
          const bool known = std::any_of(layout.layer_heights.begin(), layout.layer_heights.end(),
                                         [&](double z) { return std::abs(z - s.centre[2]) <= 1e-9 * s.radius; });
          if (!known)
            layout.layer_heights.push_back(s.centre[2]);
        }
      std::sort(layout.layer_heights.begin(), layout.layer_heights.end());
      for (auto &s : layout.spheres)
        for (std::size_t k = 0; k < layout.layer_heights.size(); ++k)
          if (std::abs(layout.layer_heights[k] - s.centre[2]) <= 1e-9 * s.radius)
            s.layer = static_cast<int>(k);
    }

    // The probe is the sphere nearest the lateral centre of the patch.
    std::size_t central_sphere(const StreamLayout &layout)
    {
      const auto box = layout.bounding_box();
      const double xc = 0.5 * (box[0][0] + box[1][0]);
      const double yc = 0.5 * (box[0][1] + box[1][1]);
      std::size_t best = 0;
      double best_d    = std::numeric_limits<double>::infinity();
      for (std::size_t n = 0; n < layout.spheres.size(); ++n)
        {
          const double d = std::hypot(layout.spheres[n].centre[0] - xc, layout.spheres[n].centre[1] - yc);
          if (d < best_d - 1e-12 * layout.spheres[n].radius)
            {
              best   = n;
              best_d = d;
            }
        }
      return best;
    }
  } // namespace

  StreamLayout read_layout_csv(const std::string &file_name, bool anode_present)
  {
    if (file_name.empty())
      throw QuantityError("sphere_file", "''", "a csv layout needs a sphere file");
    std::ifstream in(file_name);
    if (!in)
      throw QuantityError("sphere_file", "'" + file_name + "'", "cannot be opened");

    StreamLayout layout;
    layout.anode_present = anode_present;
    std::string line;
    unsigned int line_number = 0;
    bool header_seen         = false;
    while (std::getline(in, line))
      {
        ++line_number;
        line = trim(line.substr(0, line.find('#')));
        if (line.empty())
          continue;
        std::vector<std::string> fields;
        std::stringstream ss(line);
        for (std::string f; std::getline(ss, f, ',');)
          fields.push_back(trim(f));
        const std::string where = file_name + ":" + std::to_string(line_number);
        if (!header_seen)
          {
            header_seen = true;
            if (fields != std::vector<std::string>{"x", "y", "z", "radius"})
              throw InputError(where + ": the header must be 'x,y,z,radius' (metres)");
            continue;
          }
        if (fields.size() != 4)
          throw InputError(where + ": expected 4 fields x,y,z,radius, found " +
                           std::to_string(fields.size()));
        Sphere s;
        for (unsigned int d = 0; d < 3; ++d)
          s.centre[d] = parse_finite_number(fields[d], where);
        s.radius = parse_finite_number(fields[3], where);
        layout.spheres.push_back(s);
      }
    if (layout.spheres.empty())
      throw QuantityError("sphere_file", "'" + file_name + "'", "lists no spheres");
    assign_layers_by_height(layout);
    layout.probe_sphere = central_sphere(layout);
    return layout;
  }

  void write_layout_csv(const StreamLayout &layout, const std::string &file_name)
  {
    AtomicFile file(file_name);
    auto &out = file.stream();
    out.precision(17);
    out << "x,y,z,radius\n";
    for (const auto &s : layout.spheres)
      out << s.centre[0] << ',' << s.centre[1] << ',' << s.centre[2] << ',' << s.radius << '\n';
    file.commit();
  }
} // namespace mpstream::layout
