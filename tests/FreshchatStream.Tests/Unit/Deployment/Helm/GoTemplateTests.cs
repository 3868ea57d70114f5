namespace FreshchatStream.Tests.Unit.Deployment.Helm;

/// <summary>The template subset behaves as Go's text/template and Helm's functions do on the constructs the chart uses.</summary>
[Trait("Issue", "#20")]
public sealed class GoTemplateTests
{
    private static string Render(string template, string valuesYaml = "")
    {
        var root = new Dictionary<string, object?> { ["Values"] = HelmValues.Load(valuesYaml) };
        var engine = new GoTemplate();
        engine.AddDefinitions("""{{- define "name" -}}{{ .Values.n | default "dflt" }}{{- end -}}""");
        return engine.Render(template, root);
    }

    [Theory]
    [InlineData("a\n  {{- if true }}\nb\n{{- end }}\nc", "", "a\nb\nc")]
    [InlineData("x: {{ .Values.v | quote }}", "v: 1", "x: \"1\"")]
    [InlineData("x: {{ .Values.missing | default 3 }}", "", "x: 3")]
    [InlineData("{{ include \"name\" . }}", "n: set", "set")]
    [InlineData("{{ include \"name\" . }}", "", "dflt")]
    [InlineData("{{ with .Values.m }}{{ .k }}{{ else }}none{{ end }}", "m: {k: v}", "v")]
    [InlineData("{{ with .Values.m }}{{ .k }}{{ else }}none{{ end }}", "m: {}", "none")]
    [InlineData("{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}", "m: {b: 2, a: 1}", "a=1;b=2;")]
    [InlineData("{{ range .Values.l }}[{{ . }}]{{ end }}", "l: [x, y]", "[x][y]")]
    [InlineData("k:\n  {{- toYaml .Values.m | nindent 2 }}", "m: {b: [1, 2], a: 'true'}", "k:\n  a: \"true\"\n  b:\n  - 1\n  - 2")]
    [InlineData("{{ printf \"%s-%d\" .Values.s .Values.n }}", "s: a\nn: 7", "a-7")]
    [InlineData("{{ if not .Values.e }}off{{ end }}", "e: false", "off")]
    [InlineData("{{/* comment */}}x", "", "x")]
    public void Render_MatchesGoTemplateSemantics(string template, string values, string expected)
    {
        Assert.Equal(expected, Render(template, values));
    }

    [Theory]
    [InlineData("{{ lookup \"v1\" \"Secret\" \"ns\" \"n\" }}")]
    [InlineData("{{ if .Values.a }}x{{ else if .Values.b }}y{{ end }}")]
    [InlineData("{{ .Values.a ")]
    public void Render_RefusesWhatItDoesNotImplement(string template)
    {
        Assert.Throws<FormatException>(() => Render(template));
    }

    [Fact]
    public void Required_FailsWithItsMessage()
    {
        var error = Assert.Throws<FormatException>(() => Render("{{ required \"x is required\" .Values.x }}"));

        Assert.Equal("x is required", error.Message);
    }
}
