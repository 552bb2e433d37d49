#pragma once
// Private to solver/electrostatics*.cc: the operator's matrix on one rank, built from a CSR
// pattern instead of deal.II's DynamicSparsityPattern and PETSc's zero-filling CSR
// preallocation. The one-sphere benchmark spent 0.13 s in each of the two (a tenth of its FE
// time; doc/performance.md, "Small problems"); the pattern below takes a fraction of that and
// PETSc takes the arrays as they are. N ranks keep deal.II's distributed path.
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_sparse_matrix.h>

#include <petscsys.h>

#include <mpi.h>

#include <vector>

namespace mpstream::solver
{
  // Compressed rows: the columns of row r are columns[row_starts[r] .. row_starts[r + 1]), sorted.
  struct CsrPattern
  {
    std::vector<PetscInt> row_starts{0};
    std::vector<PetscInt> columns;
  };

  // The pattern that DoFTools::make_sparsity_pattern(dof_handler, pattern, constraints, false)
  // gives on one rank: each cell couples its DoFs, a constrained DoF replaced by the DoFs it is
  // constrained to (none for a Dirichlet DoF); a constrained DoF's row holds its diagonal only.
  // All cells must be this rank's (a serial triangulation).
  CsrPattern condensed_sparsity_pattern(const dealii::DoFHandler<3> &dof_handler,
                                        const dealii::AffineConstraints<double> &constraints);

  // The couplings of the cells (no constraints) in the rows r with rows[r] != 0; the other rows
  // empty. One rank. (What a DynamicSparsityPattern filled cell by cell for those rows holds;
  // deal.II's PETSc reinit from such a mostly empty pattern took 0.03-0.5 s depending on where
  // the rows lie: DynamicSparsityPattern::begin of an empty row searches for the next one.)
  CsrPattern cell_sparsity_pattern_of_rows(const dealii::DoFHandler<3> &dof_handler, const std::vector<char> &rows);

  // A PETSc AIJ matrix on a CSR pattern whose arrays it keeps (MatCreateSeqAIJWithArrays), in
  // the wrapper type that the rest of the solver uses. A value outside the pattern is a PETSc
  // error, not a silent reallocation. On N ranks it is the base class on deal.II's pattern.
  class CsrSparseMatrix : public dealii::PETScWrappers::MPI::SparseMatrix
  {
  public:
    // One process: the matrix on this pattern.
    void reinit(MPI_Comm comm, CsrPattern pattern);
    // Any number of processes: the base class's reinit.
    void reinit(const dealii::IndexSet &rows, const dealii::IndexSet &columns,
                const dealii::DynamicSparsityPattern &pattern, MPI_Comm comm);
    ~CsrSparseMatrix() override;
    // The base class keeps its communicator private: this one's after reinit on a pattern.
    const MPI_Comm &get_mpi_communicator() const override;

    // Adds cell_matrix at (dofs, dofs), as MatSetValues with ADD_VALUES does. On a pattern
    // straight into the values (a binary search per entry in its sorted row instead of PETSc's
    // general insertion; every entry must be in the pattern), else in one MatSetValues call.
    void add_cell_matrix(const std::vector<dealii::types::global_dof_index> &dofs,
                         const dealii::FullMatrix<double> &cell_matrix);

  private:
    bool on_pattern       = false;
    MPI_Comm pattern_comm = MPI_COMM_SELF;
    CsrPattern pattern;
    std::vector<PetscScalar> values;
  };
} // namespace mpstream::solver
