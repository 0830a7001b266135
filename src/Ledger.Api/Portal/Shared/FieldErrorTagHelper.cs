using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Ledger.Api.Portal.Shared;

/// <summary>`&lt;field-error for="amount" /&gt;`: the errors recorded for a field, announced to screen readers, id `{for}-error` for aria-describedby.</summary>
[HtmlTargetElement("field-error", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldErrorTagHelper : TagHelper
{
    public string For { get; set; } = "";

    [ViewContext, HtmlAttributeNotBound] public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var errors = ViewContext.ModelState.TryGetValue(For, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : [];
        if (errors.Count == 0)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "p";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "field-error");
        output.Attributes.SetAttribute("id", (For.Length == 0 ? "form" : For) + "-error");
        output.Attributes.SetAttribute("role", "alert");
        output.Content.SetContent(string.Join(" ", errors));
    }
}
