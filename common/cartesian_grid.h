#pragma once
// A scalar field on a uniform Cartesian grid of cells: how the Monte Carlo hands a power
// density to the thermal solver (one grid per sphere, cell-averaged values). Plain C++.
#include <array>
#include <cstddef>
#include <vector>

namespace mpstream
{
  struct CartesianGrid
  {
    std::array<double, 3> lower{};        // m
    std::array<double, 3> upper{};        // m
    std::array<std::size_t, 3> n_cells{}; // cells per axis
    std::vector<double> values;           // cell values, x fastest: i + n_x (j + n_y k)

    std::size_t size() const { return n_cells[0] * n_cells[1] * n_cells[2]; }
    double cell_volume() const
    {
      return (upper[0] - lower[0]) / n_cells[0] * (upper[1] - lower[1]) / n_cells[1] *
             (upper[2] - lower[2]) / n_cells[2];
    }
    std::size_t index(std::size_t i, std::size_t j, std::size_t k) const
    {
      return i + n_cells[0] * (j + n_cells[1] * k);
    }
    // Value of the cell holding the point; 0 outside the grid.
    double value_at(const std::array<double, 3> &x) const
    {
      std::array<std::size_t, 3> ijk{};
      for (int d = 0; d < 3; ++d)
        {
          if (x[d] < lower[d] || x[d] >= upper[d])
            return 0.0;
          ijk[d] = static_cast<std::size_t>((x[d] - lower[d]) / (upper[d] - lower[d]) * n_cells[d]);
          if (ijk[d] >= n_cells[d])
            ijk[d] = n_cells[d] - 1;
        }
      return values[index(ijk[0], ijk[1], ijk[2])];
    }
  };
} // namespace mpstream
