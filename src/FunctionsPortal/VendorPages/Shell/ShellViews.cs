namespace FunctionsPortal.VendorPages.Shell;

public sealed record LinkProblemView(VendorPageContext Page, string Ja, string En) : IVendorPageView<LinkProblemPage>;

public sealed record MessageView(VendorPageContext Page, string TitleJa, string TitleEn, string Ja, string En, string? BackUrl) : IVendorPageView<MessagePage>;
