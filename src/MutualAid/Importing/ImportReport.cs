namespace MutualAid.Importing;

/// <summary>One thing wrong with a row: its line, the column, the value as read, and why.</summary>
public sealed record RowProblem(int Line, string Column, string? Value, string Reason)
{
    public override string ToString() =>
        Line > 0 ? $"第 {Line} 行 {Column}{(Value is null ? "" : $"“{Value}”")}：{Reason}" : $"{Column}：{Reason}";
}

/// <summary>
/// What an import did, or, when <see cref="Written"/> is false, would have done: nothing is
/// written while any row is bad unless the bad rows are skipped on purpose.
/// </summary>
public sealed record ImportReport(
    string File,
    int Rows,
    int MembersAdded,
    int MembersUpdated,
    int MembersUnchanged,
    int Enrolled,
    int EnrollmentsUnchanged,
    int RowsSkipped,
    bool Written,
    IReadOnlyList<RowProblem> Problems,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Stored bank accounts this import replaces (the first account given for a member is not counted); each is also a warning.</summary>
    public int BankAccountsChanged { get; init; }

    /// <summary>The enrolments that join a unit's running period (新进职工): from when, to when, and what each is charged.</summary>
    public IReadOnlyList<JoinedLine> Joined { get; init; } = [];
}

/// <summary>One new hire's enrolment in a running period: cover from <see cref="Start"/> once paid, <see cref="Months"/> of <see cref="OfMonths"/> charged.</summary>
public sealed record JoinedLine(int Line, string Name, string PlanName, DateOnly Start, DateOnly End, Common.Money Premium, int Months, int OfMonths, bool AlreadyEnrolled)
{
    /// <summary>The price rule charged, in words (民营企业 40 元/年，按 5/12 个月).</summary>
    public string PriceRule { get; init; } = "";
}

/// <summary>One new hire typed into the unit portal's form; an empty type is 在职 for a new member.</summary>
public sealed record NewHire(string? Name, string? IdNumber, string? Phone, Benefits.MemberType? Type = null);
