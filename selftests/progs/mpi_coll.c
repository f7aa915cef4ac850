// SPDX-License-Identifier: GPL-2.0
/*
 * mpi_coll: MPI collectives whose results are known, checked on every rank.
 *
 *   mpirun -np N mpi_coll [COUNT...]
 *
 * For each COUNT (elements of 8 bytes; default 1 1000 100000, so that
 * messages go both eagerly and by rendezvous): MPI_Allreduce (sum),
 * MPI_Alltoall, MPI_Bcast from the last rank, MPI_Allgather, each result
 * compared element by element with what it must be, and MPI_Barrier
 * between them. Every rank prints one line, "mpi_coll: rank R of N (tag):
 * ok, C checks" or the first wrong value; the exit status is 0 only when
 * every rank found every value right. The tag is $MPI_COLL_TAG (a job
 * name) if set.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rank, size;
static long checks, wrong;
static const char *tag = "";

static void expect(const char *what, long count, long i, int64_t got,
		   int64_t want)
{
	checks++;
	if (got == want)
		return;
	if (!wrong++)
		printf("mpi_coll: rank %d of %d (%s): %s, %ld elements: element %ld is %lld, not %lld\n",
		       rank, size, tag, what, count, i, (long long)got,
		       (long long)want);
}

/* A value only (rank, peer, index) gives. */
static int64_t val(int r, int peer, long i)
{
	return (int64_t)r * 1000000007LL + (int64_t)peer * 1000003LL + i;
}

static void run(long n)
{
	int64_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	int64_t *sa = malloc(n * size * sizeof(*sa));
	int64_t *ra = malloc(n * size * sizeof(*ra));
	long i;
	int p;

	if (!a || !b || !sa || !ra) {
		fprintf(stderr, "mpi_coll: out of memory for %ld\n", n);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}

	for (i = 0; i < n; i++)
		a[i] = val(rank, 0, i);
	MPI_Allreduce(a, b, n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
	for (i = 0; i < n; i++) {
		int64_t want = 0;

		for (p = 0; p < size; p++)
			want += val(p, 0, i);
		expect("allreduce", n, i, b[i], want);
	}
	MPI_Barrier(MPI_COMM_WORLD);

	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++)
			sa[p * n + i] = val(rank, p, i);
	memset(ra, 0, n * size * sizeof(*ra));
	MPI_Alltoall(sa, n, MPI_INT64_T, ra, n, MPI_INT64_T, MPI_COMM_WORLD);
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++)
			expect("alltoall", n, p * n + i, ra[p * n + i],
			       val(p, rank, i));
	MPI_Barrier(MPI_COMM_WORLD);

	for (i = 0; i < n; i++)
		a[i] = rank == size - 1 ? val(size - 1, 7, i) : -1;
	MPI_Bcast(a, n, MPI_INT64_T, size - 1, MPI_COMM_WORLD);
	for (i = 0; i < n; i++)
		expect("bcast", n, i, a[i], val(size - 1, 7, i));
	MPI_Barrier(MPI_COMM_WORLD);

	for (i = 0; i < n; i++)
		a[i] = val(rank, 3, i);
	memset(ra, 0, n * size * sizeof(*ra));
	MPI_Allgather(a, n, MPI_INT64_T, ra, n, MPI_INT64_T, MPI_COMM_WORLD);
	for (p = 0; p < size; p++)
		for (i = 0; i < n; i++)
			expect("allgather", n, p * n + i, ra[p * n + i],
			       val(p, 3, i));
	MPI_Barrier(MPI_COMM_WORLD);

	free(a);
	free(b);
	free(sa);
	free(ra);
}

int main(int argc, char **argv)
{
	long defaults[] = { 1, 1000, 100000 }, n;
	long all_wrong = 0;
	char *end;
	int i;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (getenv("MPI_COLL_TAG"))
		tag = getenv("MPI_COLL_TAG");
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			n = strtol(argv[i], &end, 0);
			if (*end || n < 1 || n > (1L << 24)) {
				if (!rank)
					fprintf(stderr, "mpi_coll: bad count \"%s\" (1..%ld)\n",
						argv[i], 1L << 24);
				MPI_Finalize();
				return 2;
			}
			run(n);
		}
	} else {
		for (i = 0; i < 3; i++)
			run(defaults[i]);
	}
	MPI_Allreduce(&wrong, &all_wrong, 1, MPI_LONG, MPI_SUM,
		      MPI_COMM_WORLD);
	if (!wrong)
		printf("mpi_coll: rank %d of %d (%s): ok, %ld checks\n", rank,
		       size, tag, checks);
	MPI_Finalize();
	return all_wrong ? 1 : 0;
}
