using System.Globalization;
using System.CommandLine;
using System.Text;
using MutualAid.Benefits;

namespace MutualAid.Cli;

/// <summary><c>mutualaid calc CASE.json</c>: the benefit rules applied to a case, as the spec's JSON or explained.</summary>
internal static class CalcCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("CASE.json") { Description = "方案、会员、参保期间和事件" };
        var explain = new Option<bool>("--explain") { Description = "逐步说明每笔给付的计算过程（中文）" };
        var schemeFile = new Option<FileInfo>("--scheme") { Description = "方案文件；代替案例中的 scheme" };
        var command = new Command("calc", "按方案计算事件的给付") { file, explain, schemeFile };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(schemeFile), parse.GetValue(explain)));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? schemeFile, bool explain)
    {
        Scheme? scheme = null;
        if (schemeFile is not null && (scheme = Input.ReadScheme(schemeFile)) is null)
            return ExitCodes.Invalid;
        if (Input.ReadText(file) is not { } json)
            return ExitCodes.Invalid;
        CalcCase calcCase;
        try
        {
            calcCase = CalcCase.Parse(json, scheme);
        }
        catch (InvalidInputException e)
        {
            Input.Report(file, e.Problems);
            return ExitCodes.Invalid;
        }
        var result = calcCase.Run(explain);
        Console.Out.Write(explain ? Explain(result) : result.ToJson());
        return ExitCodes.Ok;
    }

    private static string Explain(CalcResult result)
    {
        var text = new StringBuilder();
        var denials = result.Denials.ToLookup(d => d.Event);
        foreach (var (ev, lines) in result.Events)
        {
            var treatments = ev.Procedures == Procedures.None ? "" : $"，治疗：{SpecNames.ChineseName(ev.Procedures)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"事件 {ev.Id}（会员 {ev.MemberId}，{Names.Of(ev.Kind)}，{ev.Date:yyyy-MM-dd}{treatments}）");
            foreach (var line in lines)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {line.Plan.Name}（{line.Plan.Code}）· {line.Benefit.Code}：{TraceText.Describe(line)}");
            foreach (var denial in denials[ev])
            {
                var plan = denial.Plan is null ? "全部计划" : $"{denial.Plan.Name}（{denial.Plan.Code}）";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {plan}：不予给付——{TraceText.Describe(denial.Reason)}");
            }
        }
        var total = result.Payouts.Aggregate(Common.Money.Zero, (sum, p) => sum + p.Line.Amount);
        text.AppendLine(CultureInfo.InvariantCulture, $"合计给付 {total.ToDisplayString()} 元");
        return text.ToString();
    }
}
