using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Tests.Benefits;

/// <summary>
/// Properties that hold for any scheme and any sequence of events. FsCheck chooses the
/// costs (in fen) and a seed; the seed shapes the brackets, rates and caps.
/// </summary>
public sealed class BenefitPropertyTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Property(MaxTest = 200)]
    public void NoPayoutIsNegative_AndNoCapIsEverExceeded(NonNegativeInt[] costs, int seed)
    {
        var random = new Random(seed);
        var perClaim = RandomCap(random);
        var annual = RandomCap(random);
        var lifetime = RandomCap(random);
        var planAnnual = RandomCap(random);
        var benefits = $$"""
            { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "accumulate": "{{(random.Next(2) == 0 ? "claim" : "year")}}",
              "brackets": {{RandomBrackets(random)}}, "perClaimCap": {{Json(perClaim)}}, "annualCap": {{Json(annual)}}, "lifetimeCap": {{Json(lifetime)}} },
            { "code": "L", "kind": "lumpSum", "events": ["hospitalization"], "amount": {{random.Next(0, 3000)}}, "annualCap": {{Json(annual)}} }
            """;
        var outcome = Stays(new CaseBuilder().Plan("P", benefits, $"\"annualCap\": {Json(planAnnual)}"), costs, random).Run();

        var lines = outcome.Result.Events.SelectMany(e => e.Lines.Select(l => (e.Event, Line: l))).ToList();
        Assert.All(lines, x => Assert.False(x.Line.Amount.IsNegative));
        foreach (var year in lines.GroupBy(x => x.Event.Date.Year))
        {
            AssertAtMost(perClaim, year.Where(x => x.Line.Benefit.Code == "B").Select(x => x.Line.Amount).DefaultIfEmpty().Max());
            AssertAtMost(annual, Sum(year.Where(x => x.Line.Benefit.Code == "B")));
            AssertAtMost(annual, Sum(year.Where(x => x.Line.Benefit.Code == "L")));
            AssertAtMost(planAnnual, Sum(year));
        }
        AssertAtMost(lifetime, Sum(lines.Where(x => x.Line.Benefit.Code == "B")));
    }

    [Property(MaxTest = 200)]
    public void BracketedPayout_NeverExceedsBaseTimesTheHighestRate(NonNegativeInt[] costs, int seed)
    {
        var random = new Random(seed);
        var brackets = RandomBrackets(random);
        var benefit = $$"""{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": {{brackets}} }""";
        var outcome = Stays(new CaseBuilder().Plan("P", benefit), costs, random).Run();

        var highest = ((BracketedBenefit)outcome.Result.Events.SelectMany(e => e.Lines).Select(l => l.Benefit).FirstOrDefault()!)?.Brackets.Max(b => b.Rate) ?? 0;
        foreach (var (ev, lines) in outcome.Result.Events)
        {
            foreach (var line in lines)
                Assert.True(line.Amount <= Money.RoundFen(ev.Amounts.SelfPayInScope.Fen * highest), $"{ev.Id}: {line.Amount} > base × {highest}");
        }
    }

    [Property(MaxTest = 200)]
    public void AccumulateYear_AnySplitOfThePeriodsCosts_PaysWhatTheirSumPays(NonNegativeInt[] costs, int seed)
    {
        var random = new Random(seed);
        var benefit = $$"""{ "code": "Y", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "accumulate": "year", "brackets": {{RandomBrackets(random)}} }""";
        var yuan = costs.Select(c => Yuan(c, random)).ToList();
        var split = new CaseBuilder().Plan("P", benefit).Member("M1").Enroll("M1", "P", "2024-01-01", "2024-12-31");
        for (var i = 0; i < yuan.Count; i++)
            split.Stay($"E{i:D3}", "M1", new DateOnly(2024, 1, 1).AddDays(i % 366).ToString("yyyy-MM-dd", Invariant), yuan[i]);
        var total = yuan.Sum();
        var whole = new CaseBuilder().Plan("P", benefit).Member("M1").Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Stay("ALL", "M1", "2024-12-31", total);

        Assert.Equal(whole.Run().Total, split.Run().Total);
    }

    [Property(MaxTest = 100)]
    public void SameInputs_AlwaysGiveTheSameOutputs_WhateverTheInputOrder(NonNegativeInt[] costs, int seed)
    {
        var random = new Random(seed);
        var benefits = $$"""
            { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "annualCap": {{Json(RandomCap(random))}}, "brackets": {{RandomBrackets(random)}} },
            { "code": "D", "kind": "perDay", "events": ["hospitalization"], "amountPerDay": 40, "deductibleDays": 3, "maxDaysPerPeriod": 60 }
            """;
        var builder = Stays(new CaseBuilder().Plan("P", benefits), costs, random);
        var json = builder.ToJson();

        var first = CalcCase.Parse(json).Run().ToJson();
        var second = CalcCase.Parse(json).Run().ToJson();
        var reversed = Reversed(json);

        Assert.Equal(first, second);
        Assert.Equal(first, CalcCase.Parse(reversed).Run().ToJson());
    }

    private static CaseBuilder Stays(CaseBuilder builder, NonNegativeInt[] costs, Random random)
    {
        builder.Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Enroll("M1", "P", "2025-01-01", "2025-12-31");
        for (var i = 0; i < costs.Length; i++)
        {
            var discharge = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 731));
            var admission = discharge.AddDays(-random.Next(0, 40));
            var amounts = $$"""{ "selfPayInScope": {{Yuan(costs[i], random).ToString(Invariant)}} }""";
            builder.Stay($"E{i:D3}", "M1", admission.ToString("yyyy-MM-dd", Invariant), discharge.ToString("yyyy-MM-dd", Invariant), amounts);
        }
        return builder;
    }

    /// <summary>FsCheck's small numbers spread over 0 to some ten thousand yuan, down to the fen.</summary>
    private static decimal Yuan(NonNegativeInt cost, Random random) => (cost.Get * 9_973L + random.Next(0, 100)) / 100m;

    /// <summary>One to four brackets with rising bounds and rates of up to three decimals; the last may be open.</summary>
    private static string RandomBrackets(Random random)
    {
        var bounds = Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(0, 5_000_000)).Distinct().Order().ToList();
        if (bounds.Count < 2)
            bounds.Add(bounds[0] + 100);
        var brackets = new List<string>();
        for (var i = 0; i < bounds.Count - 1; i++)
        {
            var open = i == bounds.Count - 2 && random.Next(2) == 0;
            var to = open ? "" : $", \"to\": {(bounds[i + 1] / 100m).ToString(Invariant)}";
            brackets.Add($"{{ \"from\": {(bounds[i] / 100m).ToString(Invariant)}{to}, \"rate\": {(random.Next(0, 1001) / 1000m).ToString(Invariant)} }}");
        }
        return "[" + string.Join(", ", brackets) + "]";
    }

    private static Money? RandomCap(Random random) =>
        random.Next(3) == 0 ? null : new Money(random.Next(0, 3_000_000));

    private static string Json(Money? cap) => cap is { } c ? c.ToInvariantString() : "null";

    private static Money Sum(IEnumerable<(BenefitEvent Event, BenefitLine Line)> lines) =>
        lines.Aggregate(Money.Zero, (sum, x) => sum + x.Line.Amount);

    private static void AssertAtMost(Money? cap, Money amount)
    {
        if (cap is { } limit)
            Assert.True(amount <= limit, $"{amount} exceeds the cap {limit}");
    }

    private static string Reversed(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var events = node["events"]!.AsArray();
        var items = events.Select(e => e!.DeepClone()).Reverse().ToList();
        events.Clear();
        foreach (var item in items)
            events.Add(item);
        return node.ToJsonString();
    }
}
