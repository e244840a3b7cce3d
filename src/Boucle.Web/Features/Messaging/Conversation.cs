using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Messaging;

/// A private conversation between the organisation that published a listing and one organisation
/// that asks about it: one per (listing, asking organisation). Only members of the two read it.
public sealed class Conversation
{
    public int Id { get; set; }
    public int ListingId { get; set; }

    /// The organisation that published the listing.
    public int OwnerOrganisationId { get; set; }

    /// The organisation that started the conversation.
    public int AskerOrganisationId { get; set; }
    public required string StartedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastMessageAt { get; set; }

    /// Last time a member of each side opened the thread: messages of the other side after it are unread.
    public DateTime? OwnerLastReadAt { get; set; }
    public DateTime? AskerLastReadAt { get; set; }

    public Listing? Listing { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public Organisation? AskerOrganisation { get; set; }
    public List<Message> Messages { get; set; } = [];
}

public sealed class Message
{
    public const int MaxLength = 4000;

    public long Id { get; set; }
    public int ConversationId { get; set; }
    public int SenderOrganisationId { get; set; }
    public required string SenderUserId { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }

    public Conversation? Conversation { get; set; }
    public List<MessageNotification> Notifications { get; set; } = [];
}

/// Ties a message to the outbox rows that told the other organisation about it, so that the
/// sender can see whether the e-mails left.
public sealed class MessageNotification
{
    public long MessageId { get; set; }
    public long OutboxMessageId { get; set; }
    public OutboxMessage? Outbox { get; set; }
}

/// One organisation refuses messages from another: no new conversation, no new message, either way.
public sealed class OrganisationBlock
{
    public int BlockerOrganisationId { get; set; }
    public int BlockedOrganisationId { get; set; }
    public required string BlockedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum ReportStatus
{
    Open,
    Dismissed,
    Resolved,
}

/// A report for the territory's facilitators to moderate. It carries the reporter's reason, not
/// the private messages themselves.
public sealed class Report
{
    public const int ReasonMaxLength = 1000;

    public int Id { get; set; }
    public int TerritoryId { get; set; }

    /// What is reported: "conversation", "message", "organisation", "listing".
    public required string TargetType { get; set; }
    public long TargetId { get; set; }

    /// The organisation behind what is reported, when there is one.
    public int? ReportedOrganisationId { get; set; }
    public required string Reason { get; set; }
    public required string ReporterUserId { get; set; }
    public int? ReporterOrganisationId { get; set; }
    public DateTime CreatedAt { get; set; }
    public ReportStatus Status { get; set; }
}

public sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.HasIndex(c => new { c.ListingId, c.AskerOrganisationId }).IsUnique();
        builder.HasIndex(c => new { c.OwnerOrganisationId, c.LastMessageAt });
        builder.HasIndex(c => new { c.AskerOrganisationId, c.LastMessageAt });
        builder.HasOne(c => c.Listing).WithMany().HasForeignKey(c => c.ListingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.OwnerOrganisation).WithMany().HasForeignKey(c => c.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.AskerOrganisation).WithMany().HasForeignKey(c => c.AskerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.StartedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Messages).WithOne(m => m.Conversation).HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("Messages");
        builder.Property(m => m.Body).HasMaxLength(Message.MaxLength);
        builder.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        // The rate limit counts a person's recent messages.
        builder.HasIndex(m => new { m.SenderUserId, m.CreatedAt });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.SenderUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.SenderOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Notifications).WithOne().HasForeignKey(n => n.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MessageNotificationConfiguration : IEntityTypeConfiguration<MessageNotification>
{
    public void Configure(EntityTypeBuilder<MessageNotification> builder)
    {
        builder.ToTable("MessageNotifications");
        builder.HasKey(n => new { n.MessageId, n.OutboxMessageId });
        builder.HasOne(n => n.Outbox).WithMany().HasForeignKey(n => n.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class OrganisationBlockConfiguration : IEntityTypeConfiguration<OrganisationBlock>
{
    public void Configure(EntityTypeBuilder<OrganisationBlock> builder)
    {
        builder.ToTable("OrganisationBlocks");
        builder.HasKey(b => new { b.BlockerOrganisationId, b.BlockedOrganisationId });
        builder.HasIndex(b => b.BlockedOrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(b => b.BlockerOrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(b => b.BlockedOrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(b => b.BlockedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> builder)
    {
        builder.ToTable("Reports");
        builder.Property(r => r.TargetType).HasMaxLength(32);
        builder.Property(r => r.Reason).HasMaxLength(Report.ReasonMaxLength);
        // The facilitators' queue: open reports of a territory, oldest first.
        builder.HasIndex(r => new { r.TerritoryId, r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.TargetType, r.TargetId });
        builder.HasOne<Boucle.Web.Features.Territories.Territory>().WithMany().HasForeignKey(r => r.TerritoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.ReporterUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(r => r.ReportedOrganisationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(r => r.ReporterOrganisationId).OnDelete(DeleteBehavior.SetNull);
    }
}
