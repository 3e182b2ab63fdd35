using System.Diagnostics;
using System.Globalization;
using MutualAid.Benefits;
using MutualAid.Common;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// Events per second through the calculator on the Ningbo-style scheme, one thread:
/// a city's year of hospital stays for members holding two to three plans each.
/// The first pass warms the JIT; the second, on fresh accounts, is measured.
/// </summary>
internal static class CalculatorBenchmark
{
    private static readonly string[] Diagnoses = ["I10", "J18.9", "K35.8", "I63.9", "E11.9", "S72.0", "C50.9", "C34.1", "N18.5", "I25.1"];

    public static void Run(int eventCount, int memberCount)
    {
        var scheme = SchemeReader.Parse(File.ReadAllText(Path.Combine(Repository(), "schemes", "ningbo.json")));
        var events = MakeEvents(eventCount, memberCount);
        Say($"Ningbo-style scheme, {eventCount:N0} hospital stays of {memberCount:N0} members, one thread");

        Measure(scheme, memberCount, events, report: false);
        Measure(scheme, memberCount, events, report: true);
    }

    private static void Measure(Scheme scheme, int memberCount, BenefitEvent[] events, bool report)
    {
        var accounts = MakeAccounts(scheme, memberCount);
        var adjudicator = new Adjudicator(scheme, events.Length);
        var lines = new List<BenefitLine>(16);
        var denials = new List<Denial>(16);
        long paidFen = 0, payouts = 0;

        GC.Collect();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        foreach (var ev in events)
        {
            lines.Clear();
            denials.Clear();
            adjudicator.Adjudicate(accounts[MemberIndex(ev.MemberId)], ev, lines, denials);
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].Amount.Fen > 0)
                {
                    paidFen += lines[i].Amount.Fen;
                    payouts++;
                }
            }
        }
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        if (!report)
            return;
        var perSecond = events.Length / clock.Elapsed.TotalSeconds;
        Say($"events/s        {perSecond:N0}");
        Say($"ns/event        {clock.Elapsed.TotalNanoseconds / events.Length:N0}");
        Say($"bytes/event     {(double)allocated / events.Length:N2} ({allocated:N0} bytes in all)");
        Say($"payouts         {payouts:N0}, {new Money(paidFen).ToDisplayString()} yuan");
    }

    /// <summary>Seven in ten in service (in-patient and critical illness, women also the female plan), three in ten retired.</summary>
    private static MemberAccount[] MakeAccounts(Scheme scheme, int count)
    {
        var random = new Random(20240501);
        var period = new DateRange(new DateOnly(2024, 5, 1), new DateOnly(2025, 4, 30));
        var previous = new DateRange(new DateOnly(2023, 5, 1), new DateOnly(2024, 4, 30));
        var accounts = new MemberAccount[count];
        for (var i = 0; i < count; i++)
        {
            var retired = random.Next(10) < 3;
            var gender = random.Next(2) == 0 ? Gender.Female : Gender.Male;
            var account = new MemberAccount(scheme, MemberId(i), new MemberFacts(retired ? MemberType.Retired : MemberType.InService, gender));
            if (retired)
            {
                if (random.Next(2) == 0)
                    account.AddPeriod(scheme.FindPlan("INPATIENT")!, previous, 1);
                account.AddPeriod(scheme.FindPlan("RETIREE")!, period, 1);
            }
            else
            {
                account.AddPeriod(scheme.FindPlan("INPATIENT")!, period, 1);
                account.AddPeriod(scheme.FindPlan("CRITICAL")!, previous, random.Next(1, 4));
                account.AddPeriod(scheme.FindPlan("CRITICAL")!, period, random.Next(1, 4));
                if (gender == Gender.Female)
                    account.AddPeriod(scheme.FindPlan("FEMALE")!, period, 1);
            }
            accounts[i] = account;
        }
        return accounts;
    }

    private static BenefitEvent[] MakeEvents(int count, int memberCount)
    {
        var random = new Random(7);
        var start = new DateOnly(2024, 5, 1);
        // Made in date order, as an import streams them from the settlement file.
        var dates = Enumerable.Range(0, count).Select(_ => start.AddDays(random.Next(0, 365))).Order().ToArray();
        var events = new BenefitEvent[count];
        for (var i = 0; i < count; i++)
        {
            var discharge = dates[i];
            var total = random.Next(1_000, 20_000_000);
            var insurance = total * random.Next(40, 90) / 100;
            events[i] = new BenefitEvent
            {
                Id = $"S{i:D9}",
                MemberId = MemberId(random.Next(memberCount)),
                Kind = EventKinds.Hospitalization,
                Date = discharge,
                AdmissionDate = discharge.AddDays(-random.Next(1, 30)),
                DischargeDate = discharge,
                Diagnoses = [Diagnoses[random.Next(Diagnoses.Length)]],
                Amounts = new EventAmounts(TotalCost: new Money(total), InsurancePaid: new Money(insurance), SelfPayInScope: new Money((total - insurance) * 7 / 10)),
            };
        }
        return events;
    }

    private static string MemberId(int index) => "M" + index.ToString(CultureInfo.InvariantCulture);

    private static int MemberIndex(string id) => int.Parse(id.AsSpan(1), CultureInfo.InvariantCulture);
}
