using System.CommandLine;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;

namespace MutualAid.Cli;

/// <summary><c>mutualaid claims submit | correct</c>: manual claims with their figures and documents.</summary>
internal static class IntakeCommands
{
    public static IEnumerable<Command> Create() => [Submit(), Correct()];

    private static Command Submit()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var kind = new Option<string>("--kind") { Description = $"事件：{string.Join("、", SpecNames.EventKinds.Keys)}", Required = true };
        var date = new Option<string?>("--date") { Description = "事件日期 YYYY-MM-DD（住院为出院日期，可省）" };
        var plans = new Option<string[]>("--plan") { Description = "申请的计划代码，可多次给出；默认会员所参加的、受理此类事件的全部计划", AllowMultipleArgumentsPerToken = false };
        var figures = new Figures();
        var (by, docs, db, json) = (Shared.By("经办人"), Documents(), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("submit", "人工受理一件理赔：填写费用、上传材料，材料须齐全") { id, kind, date, plans, by, docs, db, json };
        figures.AddTo(command);
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            if (!SpecNames.EventKinds.TryGetValue(parse.GetValue(kind)!, out var eventKind))
                throw new InvalidInputException([new Problem("--kind", $"“{parse.GetValue(kind)}”应为 {string.Join("、", SpecNames.EventKinds.Keys)} 之一")]);
            var details = figures.Read(parse);
            var day = Shared.Date(parse.GetValue(date), "--date", details.DischargeDate);
            // The clerk named is a registered user, and the member must be in their scope, as at the service point.
            var scope = await Shared.ScopeAsync(context, parse.GetValue(by)!, ct);
            var claim = await new ManualClaims(context, TimeProvider.System).SubmitAsync(new ManualClaimRequest(scope.UserName, parse.GetValue(id)!,
                eventKind, day, details, parse.GetValue(plans) ?? [], ReadDocuments(parse.GetValue(docs)), Scope: scope), Actor.Cli(scope.UserName), ct);
            var duplicates = (await SameEvent.AmongAsync(context, [claim], ct)).GetValueOrDefault(claim.Id, []);
            Report(parse.GetValue(json), claim, "已受理", duplicates);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Correct()
    {
        var number = new Argument<string>("NUMBER") { Description = "理赔编号" };
        var reason = new Option<string>("--reason") { Description = "补正了什么", Required = true };
        var figures = new Figures();
        var (by, docs, db, json) = (By(), Documents(), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("correct", "补正退回的人工理赔：重填费用、补交材料，重新计算后再复核") { number, reason, by, docs, db, json };
        figures.AddTo(command);
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var claim = await new ManualClaims(context, TimeProvider.System).CorrectAsync(parse.GetValue(number)!, parse.GetValue(by)!,
                figures.Read(parse), ReadDocuments(parse.GetValue(docs)), parse.GetValue(reason)!, Actor.Cli(parse.GetValue(by)!), ct);
            var duplicates = (await SameEvent.AmongAsync(context, [claim], ct)).GetValueOrDefault(claim.Id, []).Where(d => d.MatchedToId != claim.Id).ToList();
            Report(parse.GetValue(json), claim, "已补正", duplicates);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Option<string> By() => new("--by") { Description = "经办人", Required = true };

    private static Option<string[]> Documents() => new("--doc")
    {
        Description = $"材料 类型=文件（PDF、JPEG、PNG，每件不超过 {ClaimDocument.MaxBytes / 1024 / 1024} MB），可多次给出；类型：{string.Join("、", SpecNames.Documents.Select(d => $"{d.Key}（{d.Value}）"))}",
    };

    /// <summary>The claim taken, and the claims it may duplicate, which its reviewer will see.</summary>
    private static void Report(bool json, Claim claim, string done, IReadOnlyList<PossibleDuplicate>? duplicates = null)
    {
        var others = (duplicates ?? []).Select(d => d.Number).ToList();
        if (json)
            Shared.WriteJson(new { claim.Number, State = claim.State.ToString(), Total = claim.Total.Yuan, DueBy = claim.DueBy, PossibleDuplicates = others });
        else
            Console.WriteLine($"{done} {claim.Number}：{Names.Of(claim.State)}，应付 {claim.Total.ToDisplayString()} 元"
                + (others.Count > 0 ? $"；可能与 {string.Join("、", others)} 重复，已提请复核人核对" : ""));
    }

    private static List<DocumentFile> ReadDocuments(string[]? values)
    {
        var documents = new List<DocumentFile>();
        var problems = new List<Problem>();
        foreach (var value in values ?? [])
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                problems.Add(new Problem("--doc", $"“{value}”应写成 类型=文件，如 invoice=发票.jpg"));
                continue;
            }
            var path = value[(at + 1)..];
            try
            {
                documents.Add(new DocumentFile(value[..at], path, File.ReadAllBytes(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new Problem("--doc", $"无法读取 {path}：{e.Message}"));
            }
        }
        return problems.Count > 0 ? throw new InvalidInputException(problems) : documents;
    }

    /// <summary>The event's figures as options, each named as the spec names the field.</summary>
    private sealed class Figures
    {
        private readonly Option<string?> _admission = new("--admission") { Description = "入院日期" };
        private readonly Option<string?> _discharge = new("--discharge") { Description = "出院日期" };
        private readonly Option<string?> _diagnoses = new("--diagnoses") { Description = "诊断 ICD-10，多个以 ; 分隔" };
        private readonly Option<string?> _grade = new("--grade") { Description = "意外伤残等级 1–10、fracture、death" };
        private readonly Option<string?> _hospital = new("--hospital") { Description = "医院" };
        private readonly Option<string?> _procedures = new("--procedures")
        {
            Description = "治疗：surgery（手术）、radiotherapy（放疗）、chemotherapy（化疗），多个以 , 分隔；须附 procedureRecord（手术或放化疗记录）",
        };
        private readonly (string Field, Option<string?> Option)[] _amounts =
        [.. new[] { "totalCost", "insurancePaid", "selfPayInScope", "selfPayOutOfScope", "selfPay", "cashPay", "loss" }
            .Select(f => (f, new Option<string?>("--" + Kebab(f)) { Description = $"{SpecNames.ChineseName(SpecNames.AmountFields[f])}（元）" }))];

        public void AddTo(Command command)
        {
            foreach (var option in new[] { _admission, _discharge, _diagnoses, _grade, _hospital, _procedures }.Concat(_amounts.Select(a => a.Option)))
                command.Options.Add(option);
        }

        public ClaimEvent Read(ParseResult parse)
        {
            var problems = new List<Problem>();
            var amounts = new Dictionary<string, Money?>();
            foreach (var (field, option) in _amounts)
            {
                var text = parse.GetValue(option);
                if (text is null)
                    amounts[field] = null;
                else if (Money.TryParse(text, out var money))
                    amounts[field] = money;
                else
                    problems.Add(Shared.NotAmount(option.Name, text));
            }
            var procedures = ClaimEvent.ParseProcedures((parse.GetValue(_procedures) ?? "").Split([',', '，', '、', ';']), _procedures.Name, problems);
            if (problems.Count > 0)
                throw new InvalidInputException(problems);
            DateOnly? Day(Option<string?> option) => parse.GetValue(option) is { } text ? Shared.Date(text, option.Name) : null;
            return new ClaimEvent
            {
                AdmissionDate = Day(_admission),
                DischargeDate = Day(_discharge),
                Diagnoses = parse.GetValue(_diagnoses) ?? "",
                Grade = parse.GetValue(_grade),
                Hospital = parse.GetValue(_hospital),
                TotalCost = amounts["totalCost"] ?? Money.Zero,
                InsurancePaid = amounts["insurancePaid"] ?? Money.Zero,
                SelfPayInScope = amounts["selfPayInScope"] ?? Money.Zero,
                SelfPayOutOfScope = amounts["selfPayOutOfScope"] ?? Money.Zero,
                SelfPay = amounts["selfPay"],
                CashPay = amounts["cashPay"],
                Loss = amounts["loss"] ?? Money.Zero,
                Procedures = procedures,
            };
        }

        private static string Kebab(string name) =>
            string.Concat(name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
    }
}
