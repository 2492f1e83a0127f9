//! Every tuning value of the optimiser in one place. The defaults are the values the
//! benchmark runs chose; `docs/benchmarks-roster.md` (section "Tuning values") gives for
//! each field the value, why, and the run that measured it. None of them changes what a
//! roster scores: they steer where the search looks and how it spends its time.

/// The optimiser's tuning values ([`crate::solve::SolveOptions::tuning`]). Shares are
/// fractions (0.6 = 60 %), times are seconds, "steps" are annealing steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    // --- Scoring inside the search -------------------------------------------------
    /// Weight of one unit of hard violation inside the search (never in a returned
    /// roster).
    pub hard_weight: i64,
    /// Minutes per hard unit when a minute limit (minimum or maximum total, weekly
    /// maximum) is missed: one unit per started block of this many minutes (4 hours).
    /// Also the unit in which the re-plans count a missed minimum.
    pub hard_minutes_unit: u32,

    // --- Problem size classes --------------------------------------------------------
    /// Small problems: at most this many days ...
    pub small_days: usize,
    /// ... and at most this many employees × shift types. They get the costlier
    /// cover-focused two-pass large-neighbourhood moves and the exact parts at every
    /// time limit.
    pub small_employee_types: usize,
    /// Medium problems: at most this many days ...
    pub medium_days: usize,
    /// ... and at most this many employees × shift types × days (half the small ones'
    /// largest, 400 × 28). They get the exact parts with a time limit of at least
    /// `medium_seconds`.
    pub medium_cells: usize,
    /// Shortest time limit with which medium problems get the exact parts, and with
    /// which four-week problems too large for them get fix-and-optimise alone.
    pub medium_seconds: f64,

    // --- Annealing schedule ----------------------------------------------------------
    /// Temperature at the start of each annealing cycle.
    pub t_hot: f64,
    /// Temperature at the end of each annealing cycle (geometric cooling in between).
    pub t_cold: f64,
    /// Epochs in the first annealing cycle; each later cycle is twice as long.
    pub first_cycle_epochs: u64,
    /// Blocks of annealing steps per epoch (the temperature is set once per block; a
    /// large-neighbourhood move and a repair may follow each block).
    pub blocks_per_epoch: u64,
    /// Epoch length: `epoch_work / (days + epoch_days_offset)` steps, at least
    /// `epoch_min_steps`, fixed per problem size so the run is a function of the seed and
    /// the epoch count.
    pub epoch_work: u64,
    pub epoch_days_offset: u64,
    pub epoch_min_steps: u64,
    /// With a time limit, the last cycle is planned to use this share of the epochs that
    /// fit in the time left ...
    pub fill_share: f64,
    /// ... once the time left holds less than this many times the doubled cycle.
    pub fill_within: u64,
    /// With a time limit, construction skips its second pass once this share of the
    /// limit has gone (epoch budgets: both passes always).
    pub construct_share: f64,

    // --- The move mix (out of 100 steps) -----------------------------------------------
    /// Steps that change one cell (on problems that are not small, `aimed_share` of them
    /// are aimed at a costly cover line).
    pub change_cell: u32,
    /// Steps that swap one day between two employees.
    pub swap_day: u32,
    /// Steps that swap a block of 2 to `swap_block_days` days between two employees;
    /// the rest (100 − the three shares) set a block of 2 to `set_block_days` days of
    /// one employee to one shift or off.
    pub swap_block: u32,
    pub swap_block_days: usize,
    pub set_block_days: usize,
    /// A set-block step sets the block off with chance 1 in this, else to a random shift.
    pub set_block_off_one_in: u32,
    /// Steps in 100 that change a cell on a cover line with a cost (within
    /// `change_cell`), on problems that are not small.
    pub aimed_share: u32,
    /// Cover lines drawn when looking for a costly one.
    pub aimed_tries: usize,

    // --- Large-neighbourhood moves and re-planning -----------------------------------
    /// Window of days a large-neighbourhood move or a repair re-plans (the whole horizon
    /// when it is shorter): four weeks.
    pub window_days: usize,
    /// Large-neighbourhood moves after each block that is followed by one.
    pub lns_per_block: usize,
    /// Employees freed by one large-neighbourhood move: 1 to this many.
    pub lns_employees: usize,
    /// A large-neighbourhood move adds up to `lns_noise` to each cell's cost with chance 1
    /// in `lns_noise_one_in`.
    pub lns_noise: i64,
    pub lns_noise_one_in: u32,
    /// On small problems a large-neighbourhood move aims at a costly cover line with
    /// chance 1 in this.
    pub lns_focus_one_in: u32,
    /// On horizons over `small_days`: annealing steps per large-neighbourhood move and
    /// shift type (at least `lns_min_types` types' worth).
    pub steps_per_lns_per_type: u64,
    pub lns_min_types: u64,
    /// Label budgets of the re-plan DP (labels per day × days × values) for a window and
    /// for a whole row (construction); the per-day cap lies within `label_cap_min` and
    /// `label_cap_max`, and a third try runs with `label_cap_retry` times the cap.
    pub lns_budget: usize,
    pub construct_budget: usize,
    pub label_cap_min: usize,
    pub label_cap_max: usize,
    pub label_cap_retry: usize,
    /// Pricing rounds of the per-type maxima in one re-plan: whole row, window.
    pub replan_rounds_full: usize,
    pub replan_rounds_window: usize,
    /// Price of a shift type when it is first priced, and the largest doubling step.
    pub type_price_start: i64,
    pub type_price_step_max: i64,
    /// Lagrangian re-plan (`replan_priced`): rounds, the first price steps per hour and
    /// per weekend, the jitter per cell, how prices relax once a row keeps every limit,
    /// how the hour step shrinks on a sign change and grows on the same sign, how the
    /// weekend step grows, and the price step per shift over a type's maximum (× the
    /// square root of the excess).
    pub priced_rounds: usize,
    pub priced_hour_step: f64,
    pub priced_weekend_step: f64,
    pub priced_jitter: i64,
    pub priced_relax: f64,
    pub priced_step_shrink: f64,
    pub priced_step_grow: f64,
    pub priced_weekend_grow: f64,
    pub priced_type_step: f64,
    /// Exact re-plans on random windows after the Lagrangian re-plan of a repair, while
    /// the employee still breaks a rule.
    pub repair_windows: usize,

    // --- The exact parts: column generation (`colgen`) -------------------------------
    /// Pricing rounds of the root LP and after each fixing step of a dive.
    pub colgen_rounds: usize,
    pub dive_rounds: usize,
    /// Dives per call, and perturbed pricing rounds per call.
    pub colgen_dives: usize,
    pub colgen_perturb: usize,
    /// Node limit of the restricted-master MIP, and (time limits only) its time cap.
    pub mip_nodes: i32,
    pub mip_seconds: f64,
    /// Nodes of branching on work status per call, with a time limit of at least
    /// `branch_seconds` (epoch budgets: none).
    pub branch_nodes: usize,
    pub branch_seconds: f64,
    /// Largest share of a thread's elapsed time that goes to column generation (time
    /// limits), and of the whole run one call may take.
    pub exact_share: f64,
    /// Column generation is called again only while its root LP is within this share of
    /// the thread's best roster.
    pub colgen_gap: f64,
    /// Labels kept per day in the pricing DP (4 times as many for an employee with
    /// per-type maxima as states).
    pub price_label_cap: usize,
    /// Largest product of (maximum + 1) over the per-type maxima kept as pricing states.
    pub cap_states: u32,
    /// Rounds of per-type pricing in one pricing call.
    pub price_rounds: usize,
    /// A dive fixes every column at or above this value in one step.
    pub fix_at: f64,
    /// Half-width of the uniform noise on each cover dual in perturbed pricing rounds.
    pub dual_noise: f64,
    /// Share of a call's time after which no perturbed round, branching node or dive
    /// starts (the restricted-master MIP keeps the rest).
    pub explore: f64,
    /// Weight of the stability centre in the priced duals (in-out smoothing).
    pub smoothing: f64,

    // --- The exact parts: fix-and-optimise (`fixopt`) -------------------------------
    /// With a time limit: chunks of this share of the limit (at least `fix_seconds`) ...
    pub fix_chunk: f64,
    /// ... once the annealing has had this many seconds.
    pub anneal_first: f64,
    /// Large problems: the share of the run the annealing has alone first.
    pub large_anneal_share: f64,
    /// Node limit and (time limits only) time cap of one part's MIP.
    pub fix_nodes: i32,
    pub fix_seconds: f64,
    /// Parts per call with an epoch budget.
    pub fix_parts: usize,
    /// First part sizes: days of every employee, and employees (divisor of the staff).
    pub fix_part_days: usize,
    pub fix_part_staff_divisor: usize,
    /// Large problems: binaries a first part of every employee, and of some employees
    /// over every day, may have.
    pub large_day_part: usize,
    pub large_emp_part: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            hard_weight: 400,
            hard_minutes_unit: 240,
            small_days: 28,
            small_employee_types: 400,
            medium_days: 56,
            medium_cells: 400 * 28 / 2,
            medium_seconds: 60.0,
            t_hot: 30.0,
            t_cold: 0.3,
            first_cycle_epochs: 2,
            blocks_per_epoch: 16,
            epoch_work: 4_000_000,
            epoch_days_offset: 8,
            epoch_min_steps: 1_000,
            fill_share: 0.97,
            fill_within: 3,
            construct_share: 0.2,
            change_cell: 40,
            swap_day: 20,
            swap_block: 25,
            swap_block_days: 7,
            set_block_days: 5,
            set_block_off_one_in: 3,
            aimed_share: 20,
            aimed_tries: 8,
            window_days: 28,
            lns_per_block: 1,
            lns_employees: 3,
            lns_noise: 2,
            lns_noise_one_in: 4,
            lns_focus_one_in: 2,
            steps_per_lns_per_type: 2_500,
            lns_min_types: 4,
            lns_budget: 400_000,
            construct_budget: 1_000_000,
            label_cap_min: 100,
            label_cap_max: 3000,
            label_cap_retry: 8,
            replan_rounds_full: 10,
            replan_rounds_window: 3,
            type_price_start: 400 / 4,
            type_price_step_max: 400 * 16,
            priced_rounds: 40,
            priced_hour_step: (400 / 64) as f64,
            priced_weekend_step: (400 / 8) as f64,
            priced_jitter: 400 / 16,
            priced_relax: 0.8,
            priced_step_shrink: 0.6,
            priced_step_grow: 1.3,
            priced_weekend_grow: 1.2,
            priced_type_step: (400 / 8) as f64,
            repair_windows: 8,
            colgen_rounds: 60,
            dive_rounds: 10,
            colgen_dives: 8,
            colgen_perturb: 20,
            mip_nodes: 500,
            mip_seconds: 5.0,
            branch_nodes: 300,
            branch_seconds: 60.0,
            exact_share: 0.6,
            colgen_gap: 0.02,
            price_label_cap: 3000,
            cap_states: 16,
            price_rounds: 10,
            fix_at: 0.99,
            dual_noise: 2.0,
            explore: 0.6,
            smoothing: 0.7,
            fix_chunk: 0.1,
            anneal_first: 4.0,
            large_anneal_share: 0.3,
            fix_nodes: 500,
            fix_seconds: 2.0,
            fix_parts: 16,
            fix_part_days: 7,
            fix_part_staff_divisor: 4,
            large_day_part: 8000,
            large_emp_part: 2000,
        }
    }
}
