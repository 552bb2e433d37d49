#include "solver/electrostatics/condensed_sparsity.h"

#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>
#include <deal.II/dofs/dof_accessor.h>
#include <deal.II/lac/exceptions.h>

#include <petscmat.h>

#include <algorithm>
#include <string>

namespace mpstream::solver
{
  using namespace dealii;

  namespace
  {
    // Each cell's coupled DoFs (sorted, unique): its unconstrained DoFs and the DoFs its
    // constrained ones are tied to. constrained[d] is set for every constrained DoF met.
    CsrPattern cell_couplings(const DoFHandler<3> &dof_handler, const AffineConstraints<double> &constraints,
                              std::vector<char> &constrained)
    {
      CsrPattern cells; // row = cell
      std::vector<types::global_dof_index> dofs(dof_handler.get_fe().n_dofs_per_cell());
      cells.row_starts.reserve(dof_handler.get_triangulation().n_active_cells() + 1);
      cells.columns.reserve(cells.row_starts.capacity() * dofs.size());
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          Assert(cell->is_locally_owned(), ExcMessage("condensed_sparsity_pattern: one rank only"));
          cell->get_dof_indices(dofs);
          const auto begin = cells.columns.size();
          for (const auto d : dofs)
            if (const auto *entries = constraints.get_constraint_entries(d))
              {
                constrained[d] = 1;
                for (const auto &[master, weight] : *entries)
                  cells.columns.push_back(static_cast<PetscInt>(master));
              }
            else
              cells.columns.push_back(static_cast<PetscInt>(d));
          std::sort(cells.columns.begin() + begin, cells.columns.end());
          cells.columns.erase(std::unique(cells.columns.begin() + begin, cells.columns.end()), cells.columns.end());
          cells.row_starts.push_back(static_cast<PetscInt>(cells.columns.size()));
        }
      return cells;
    }

    // The transpose of a CSR pattern with n_columns columns (counting sort).
    CsrPattern transpose(const CsrPattern &p, std::size_t n_columns)
    {
      CsrPattern t;
      t.row_starts.assign(n_columns + 1, 0);
      for (const auto c : p.columns)
        ++t.row_starts[c + 1];
      for (std::size_t r = 0; r < n_columns; ++r)
        t.row_starts[r + 1] += t.row_starts[r];
      t.columns.resize(p.columns.size());
      std::vector<PetscInt> next(t.row_starts.begin(), t.row_starts.end() - 1);
      for (std::size_t row = 0; row + 1 < p.row_starts.size(); ++row)
        for (auto k = p.row_starts[row]; k < p.row_starts[row + 1]; ++k)
          t.columns[next[p.columns[k]]++] = static_cast<PetscInt>(row);
      return t;
    }
  } // namespace

  namespace
  {
    // Rows as selected: row r of a coupled DoF holds the union of the couplings of the cells
    // that couple r (a marker per column), sorted; a constrained DoF's row its diagonal; an
    // unselected row nothing.
    template <typename RowSelected>
    CsrPattern union_of_couplings(const CsrPattern &cells, const std::vector<char> &constrained,
                                  RowSelected &&selected)
    {
      const std::size_t n            = constrained.size();
      const CsrPattern cells_of_dof = transpose(cells, n);
      CsrPattern pattern;
      pattern.row_starts.reserve(n + 1);
      std::size_t bound = n; // each cell adds at most its couplings to each of its coupled rows
      for (std::size_t c = 0; c + 1 < cells.row_starts.size(); ++c)
        bound += static_cast<std::size_t>(cells.row_starts[c + 1] - cells.row_starts[c]) *
                 static_cast<std::size_t>(cells.row_starts[c + 1] - cells.row_starts[c]);
      pattern.columns.reserve(bound);
      std::vector<PetscInt> marker(n, -1);
      for (std::size_t r = 0; r < n; ++r)
        {
          const auto begin = pattern.columns.size();
          if (!selected(r))
            ;
          else if (constrained[r])
            pattern.columns.push_back(static_cast<PetscInt>(r));
          else
            for (auto k = cells_of_dof.row_starts[r]; k < cells_of_dof.row_starts[r + 1]; ++k)
              {
                const auto cell = cells_of_dof.columns[k];
                for (auto j = cells.row_starts[cell]; j < cells.row_starts[cell + 1]; ++j)
                  if (const auto column = cells.columns[j]; marker[column] != static_cast<PetscInt>(r))
                    {
                      marker[column] = static_cast<PetscInt>(r);
                      pattern.columns.push_back(column);
                    }
              }
          std::sort(pattern.columns.begin() + begin, pattern.columns.end());
          pattern.row_starts.push_back(static_cast<PetscInt>(pattern.columns.size()));
        }
      return pattern;
    }
  } // namespace

  CsrPattern condensed_sparsity_pattern(const DoFHandler<3> &dof_handler, const AffineConstraints<double> &constraints)
  {
    std::vector<char> constrained(dof_handler.n_dofs(), 0);
    const CsrPattern cells = cell_couplings(dof_handler, constraints, constrained);
    return union_of_couplings(cells, constrained, [](std::size_t) { return true; });
  }

  CsrPattern cell_sparsity_pattern_of_rows(const DoFHandler<3> &dof_handler, const std::vector<char> &rows)
  {
    AffineConstraints<double> none;
    none.close();
    std::vector<char> constrained(dof_handler.n_dofs(), 0);
    const CsrPattern cells = cell_couplings(dof_handler, none, constrained);
    return union_of_couplings(cells, constrained, [&](std::size_t r) { return rows[r] != 0; });
  }

  void CsrSparseMatrix::reinit(MPI_Comm comm, CsrPattern new_pattern)
  {
    AssertThrow(Utilities::MPI::n_mpi_processes(comm) == 1, ExcMessage("CsrSparseMatrix: one process only"));
    PetscErrorCode ierr = MatDestroy(&matrix); // the arrays of a previous pattern outlive its Mat no longer
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    pattern = std::move(new_pattern);
    values.assign(pattern.columns.size(), 0.0);
    const auto n = static_cast<PetscInt>(pattern.row_starts.size() - 1);
    ierr = MatCreateSeqAIJWithArrays(comm, n, n, pattern.row_starts.data(), pattern.columns.data(), values.data(), &matrix);
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    ierr = MatSetOption(matrix, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE);
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    on_pattern   = true;
    pattern_comm = comm;
  }

  void CsrSparseMatrix::reinit(const IndexSet &rows, const IndexSet &columns, const DynamicSparsityPattern &dsp,
                               MPI_Comm comm)
  {
    PETScWrappers::MPI::SparseMatrix::reinit(rows, columns, dsp, comm);
    on_pattern = false;
    pattern    = CsrPattern();
    values.clear();
  }

  void CsrSparseMatrix::add_cell_matrix(const std::vector<types::global_dof_index> &dofs,
                                        const FullMatrix<double> &cell_matrix)
  {
    if (!on_pattern)
      {
        thread_local std::vector<PetscInt> indices; // reused: this runs once per cell
        indices.assign(dofs.begin(), dofs.end());
        const auto n              = static_cast<PetscInt>(indices.size());
        const PetscErrorCode ierr = MatSetValues(matrix, n, indices.data(), n, indices.data(), &cell_matrix(0, 0), ADD_VALUES);
        AssertThrow(ierr == 0, ExcPETScError(ierr));
        return;
      }
    // PETSc uses `values` as the matrix's storage (MatCreateSeqAIJWithArrays); the compress()
    // that follows, as after MatSetValues, tells PETSc that they changed (MatAssemblyEnd).
    for (unsigned int i = 0; i < dofs.size(); ++i)
      {
        const PetscInt *begin = pattern.columns.data() + pattern.row_starts[dofs[i]];
        const PetscInt *end   = pattern.columns.data() + pattern.row_starts[dofs[i] + 1];
        for (unsigned int j = 0; j < dofs.size(); ++j)
          {
            const PetscInt *at = std::lower_bound(begin, end, static_cast<PetscInt>(dofs[j]));
            AssertThrow(at != end && *at == static_cast<PetscInt>(dofs[j]),
                        ExcMessage("CsrSparseMatrix: entry (" + std::to_string(dofs[i]) + ", " +
                                   std::to_string(dofs[j]) + ") is not in the pattern"));
            values[at - pattern.columns.data()] += cell_matrix(i, j);
          }
      }
  }

  const MPI_Comm &CsrSparseMatrix::get_mpi_communicator() const
  {
    return on_pattern ? pattern_comm : PETScWrappers::MPI::SparseMatrix::get_mpi_communicator();
  }

  CsrSparseMatrix::~CsrSparseMatrix()
  {
    MatDestroy(&matrix); // before the arrays it uses; the base class then finds none to destroy
  }
} // namespace mpstream::solver
