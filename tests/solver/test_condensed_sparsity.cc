// solver/electrostatics/condensed_sparsity.h: the one-rank CSR pattern of the condensed
// operator against deal.II's own (DoFTools::make_sparsity_pattern with the constraints,
// keep_constrained_dofs = false) on P2 tetrahedra with both kinds of constraints the solver
// uses: homogeneous Dirichlet DoFs and a floating group tied to one master DoF. And the matrix
// on that pattern, filled as the solver fills it: the same entries as deal.II's PETSc matrix,
// a value outside the pattern refused.
#include "solver/electrostatics/condensed_sparsity.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>

#include <gtest/gtest.h>
#include <petscsys.h>

#include <algorithm>
#include <set>

namespace mpstream::solver
{
  namespace
  {
    using namespace dealii;

    struct P2Cube
    {
      Triangulation<3> tria;
      FE_SimplexP<3> fe{2};
      DoFHandler<3> dof_handler;
      P2Cube()
      {
        GridGenerator::subdivided_hyper_cube_with_simplices(tria, 3);
        dof_handler.reinit(tria);
        dof_handler.distribute_dofs(fe);
      }
    };

    // DoFs on boundary faces whose centre satisfies `on` (face support points of P2: its DoFs).
    template <typename Predicate>
    std::set<types::global_dof_index> face_dofs(const DoFHandler<3> &dofs, Predicate on)
    {
      std::set<types::global_dof_index> found;
      std::vector<types::global_dof_index> indices(dofs.get_fe().n_dofs_per_face());
      for (const auto &cell : dofs.active_cell_iterators())
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary() && on(cell->face(f)->center()))
            {
              cell->face(f)->get_dof_indices(indices);
              found.insert(indices.begin(), indices.end());
            }
      return found;
    }

    // x = 0: Dirichlet; x = 1: tied to its smallest DoF (a floating sphere's constraints).
    AffineConstraints<double> dirichlet_and_floating(const DoFHandler<3> &dofs)
    {
      AffineConstraints<double> constraints;
      for (const auto d : face_dofs(dofs, [](const Point<3> &c) { return c[0] < 1e-12; }))
        constraints.add_line(d);
      const auto floating = face_dofs(dofs, [](const Point<3> &c) { return c[0] > 1 - 1e-12; });
      for (const auto d : floating)
        if (d != *floating.begin() && !constraints.is_constrained(d))
          {
            constraints.add_line(d);
            constraints.add_entry(d, *floating.begin(), 1.0);
          }
      constraints.close();
      return constraints;
    }

    void expect_equal_patterns(const CsrPattern &p, const DynamicSparsityPattern &dsp)
    {
      ASSERT_EQ(p.row_starts.size(), dsp.n_rows() + 1);
      for (unsigned int r = 0; r < dsp.n_rows(); ++r)
        {
          std::vector<PetscInt> expected;
          for (auto it = dsp.begin(r); it != dsp.end(r); ++it)
            expected.push_back(static_cast<PetscInt>(it->column()));
          const std::vector<PetscInt> got(p.columns.begin() + p.row_starts[r], p.columns.begin() + p.row_starts[r + 1]);
          EXPECT_EQ(got, expected) << "row " << r;
        }
    }
  } // namespace

  TEST(CondensedSparsity, EqualsDealIIsPatternWithoutConstraints)
  {
    P2Cube cube;
    AffineConstraints<double> none;
    none.close();
    DynamicSparsityPattern dsp(cube.dof_handler.n_dofs());
    DoFTools::make_sparsity_pattern(cube.dof_handler, dsp, none, false);
    expect_equal_patterns(condensed_sparsity_pattern(cube.dof_handler, none), dsp);
  }

  TEST(CondensedSparsity, EqualsDealIIsPatternWithDirichletAndFloatingConstraints)
  {
    P2Cube cube;
    const auto constraints = dirichlet_and_floating(cube.dof_handler);
    ASSERT_GT(constraints.n_constraints(), 50u);
    DynamicSparsityPattern dsp(cube.dof_handler.n_dofs());
    DoFTools::make_sparsity_pattern(cube.dof_handler, dsp, constraints, false);
    expect_equal_patterns(condensed_sparsity_pattern(cube.dof_handler, constraints), dsp);
  }

  TEST(CondensedSparsity, RowsOfCellCouplingsEqualADynamicPatternFilledForThoseRows)
  {
    P2Cube cube;
    const auto chosen = face_dofs(cube.dof_handler, [](const Point<3> &c) { return c[2] > 1 - 1e-12; });
    std::vector<char> rows(cube.dof_handler.n_dofs(), 0);
    for (const auto d : chosen)
      rows[d] = 1;
    // What the solver built for its sphere rows before (N ranks still do).
    DynamicSparsityPattern dsp(cube.dof_handler.n_dofs());
    std::vector<types::global_dof_index> dofs(cube.fe.n_dofs_per_cell());
    for (const auto &cell : cube.dof_handler.active_cell_iterators())
      {
        cell->get_dof_indices(dofs);
        for (const auto i : dofs)
          if (rows[i])
            for (const auto j : dofs)
              dsp.add(i, j);
      }
    ASSERT_GT(chosen.size(), 10u);
    expect_equal_patterns(cell_sparsity_pattern_of_rows(cube.dof_handler, rows), dsp);
  }

  TEST(CondensedSparsity, MatrixTakesTheSameEntriesAsDealIIsAndRefusesOthers)
  {
    P2Cube cube;
    const auto constraints = dirichlet_and_floating(cube.dof_handler);
    const auto n           = cube.dof_handler.n_dofs();
    const IndexSet all     = complete_index_set(n);
    DynamicSparsityPattern dsp(n);
    DoFTools::make_sparsity_pattern(cube.dof_handler, dsp, constraints, false);
    PETScWrappers::MPI::SparseMatrix reference;
    reference.reinit(all, all, dsp, MPI_COMM_WORLD);
    CsrSparseMatrix matrix;
    matrix.reinit(MPI_COMM_SELF, condensed_sparsity_pattern(cube.dof_handler, constraints));
    // A cell matrix of distinct values on every cell, condensed by the constraints.
    const unsigned int k = cube.fe.n_dofs_per_cell();
    FullMatrix<double> cell_matrix(k, k);
    std::vector<types::global_dof_index> dofs(k);
    unsigned int cell_number = 0, direct_cells = 0;
    for (const auto &cell : cube.dof_handler.active_cell_iterators())
      {
        cell->get_dof_indices(dofs);
        for (unsigned int i = 0; i < k; ++i)
          for (unsigned int j = 0; j < k; ++j)
            cell_matrix(i, j) = 1.0 + i + j + 0.01 * cell_number; // symmetric
        ++cell_number;
        constraints.distribute_local_to_global(cell_matrix, dofs, reference);
        // As the solver adds (operators.cc): cells without constrained DoFs straight into the
        // values, the others through deal.II and MatSetValues.
        if (std::none_of(dofs.begin(), dofs.end(), [&](const auto d) { return constraints.is_constrained(d); }))
          {
            matrix.add_cell_matrix(dofs, cell_matrix);
            ++direct_cells;
          }
        else
          constraints.distribute_local_to_global(cell_matrix, dofs,
                                                 static_cast<PETScWrappers::MPI::SparseMatrix &>(matrix));
      }
    reference.compress(VectorOperation::add);
    matrix.compress(VectorOperation::add);
    ASSERT_GT(direct_cells, 0u);
    EXPECT_EQ(matrix.n_nonzero_elements(), reference.n_nonzero_elements());
    for (unsigned int r = 0; r < n; ++r)
      for (auto it = dsp.begin(r); it != dsp.end(r); ++it)
        EXPECT_EQ(matrix.el(r, it->column()), reference.el(r, it->column())) << r << ", " << it->column();

    // A constrained DoF's row holds only its diagonal: an entry next to it is outside.
    const auto dirichlet = *face_dofs(cube.dof_handler, [](const Point<3> &c) { return c[0] < 1e-12; }).begin();
    const auto other     = dirichlet == 0 ? 1 : 0;
    PetscPushErrorHandler(PetscReturnErrorHandler, nullptr); // the refusal without PETSc's trace
    EXPECT_ANY_THROW({
      matrix.add(dirichlet, other, 1.0);
      matrix.compress(VectorOperation::add);
    });
    PetscPopErrorHandler();
  }
} // namespace mpstream::solver
