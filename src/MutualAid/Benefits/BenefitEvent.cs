using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// What a claim is about: a hospital stay, a diagnosis, an accident or a fire of one member.
/// <see cref="Date"/> decides coverage (the discharge date of a stay).
/// </summary>
public sealed class BenefitEvent
{
    private readonly EventAmounts _amounts;

    public required string Id { get; init; }

    public required string MemberId { get; init; }

    public required EventKinds Kind { get; init; }

    public required DateOnly Date { get; init; }

    public DateOnly? AdmissionDate { get; init; }

    public DateOnly? DischargeDate { get; init; }

    /// <summary>ICD-10 codes, e.g. C50.9.</summary>
    public IReadOnlyList<string> Diagnoses { get; init; } = [];

    public EventAmounts Amounts { get => _amounts; init => _amounts = value; }

    /// <summary>One amount, read in place rather than through a copy of all of them.</summary>
    public Money Amount(AmountField field) => _amounts[field];

    /// <summary>Treatments carried out in the stay or visit; only benefits with a procedures filter look at it.</summary>
    public Procedures Procedures { get; init; }

    /// <summary>Accident grade: "1"…"10", "fracture" or "death".</summary>
    public string? Grade { get; init; }

    /// <summary>Days in hospital: discharge − admission, at least 1.</summary>
    public int Days =>
        AdmissionDate is { } a && DischargeDate is { } d ? Math.Max(1, d.DayNumber - a.DayNumber) : 1;
}

/// <summary>The yuan amounts of an event; a missing one is 0, but for the two derived ones.</summary>
public readonly record struct EventAmounts(
    Money TotalCost = default,
    Money InsurancePaid = default,
    Money SelfPayInScope = default,
    Money SelfPayOutOfScope = default,
    Money? SelfPay = null,
    Money? CashPay = null,
    Money Loss = default)
{
    /// <summary>个人负担: as given, else totalCost − insurancePaid (never below 0).</summary>
    public Money EffectiveSelfPay => SelfPay ?? Money.Max(Money.Zero, TotalCost - InsurancePaid);

    /// <summary>个人现金支付: as given, else all of selfPay.</summary>
    public Money EffectiveCashPay => CashPay ?? EffectiveSelfPay;

    public Money this[AmountField field] => field switch
    {
        AmountField.TotalCost => TotalCost,
        AmountField.InsurancePaid => InsurancePaid,
        AmountField.SelfPayInScope => SelfPayInScope,
        AmountField.SelfPayOutOfScope => SelfPayOutOfScope,
        AmountField.SelfPay => EffectiveSelfPay,
        AmountField.CashPay => EffectiveCashPay,
        AmountField.Loss => Loss,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>True when the field's value was worked out rather than given.</summary>
    public bool IsDerived(AmountField field) =>
        (field == AmountField.SelfPay && SelfPay is null) || (field == AmountField.CashPay && CashPay is null);
}
