using System.Net;
using System.Text;
using MutualAid.Benefits;

namespace MutualAid.Web;

/// <summary>The start page until the back office lands: the schemes the system knows.</summary>
internal static class StartPage
{
    /// <summary>The repository's schemes/ folder, looked for upwards from the content root.</summary>
    public static IReadOnlyList<Scheme> FindSchemes(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "schemes");
            if (Directory.Exists(folder))
                return [.. Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => SchemeReader.Parse(File.ReadAllText(f)))];
        }
        return [];
    }

    public static string Render(IReadOnlyList<Scheme> schemes)
    {
        var html = new StringBuilder("""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>职工互助保障管理系统</title>
            <style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
            </head><body><h1>职工互助保障管理系统</h1>
            <p>第二条健康保险带：在基本医疗保险报销之后，互助保障按方案进行二次报销。</p>
            """);
        foreach (var scheme in schemes)
        {
            html.Append("<h2>").Append(WebUtility.HtmlEncode(scheme.Name)).Append("</h2><table><tr><th>计划</th><th>生效</th><th>年缴费（元）</th><th>待遇</th></tr>");
            foreach (var plan in scheme.Plans)
            {
                var version = plan.Versions[^1];
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(plan.Name))
                    .Append("</td><td>").Append(version.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(version.Premium.ToDisplayString())
                    .Append("</td><td>").Append(WebUtility.HtmlEncode(string.Join("、", version.Benefits.Select(b => b.Code))))
                    .Append("</td></tr>");
            }
            html.Append("</table>");
        }
        return html.Append("</body></html>").ToString();
    }
}
