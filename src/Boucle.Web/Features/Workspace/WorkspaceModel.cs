using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Workspace;

/// A stake (enjeu) a facilitator tagged an organisation with: "biodéchets", "palettes", "chaleur fatale"...
public sealed class StakeTag
{
    public const int MaxLength = 64;

    public int OrganisationId { get; set; }
    public required string Tag { get; set; }
}

/// A meeting a facilitator held with an organisation. Facilitators only: members never read it.
public sealed class Meeting
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public DateOnly Date { get; set; }
    public required string PeopleMet { get; set; }
    public string? Notes { get; set; }

    /// The stakes raised, as tags separated by commas; each one also tags the organisation.
    public string? Stakes { get; set; }
    public required string CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<FollowUp> FollowUps { get; set; } = [];
}

/// Something to do after a meeting, by a date, by one facilitator.
public sealed class FollowUp
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public required string Text { get; set; }
    public DateOnly DueDate { get; set; }
    public required string OwnerUserId { get; set; }
    public bool Done { get; set; }
    public DateTime? DoneAt { get; set; }
}

/// A private note of the facilitators about an organisation.
public sealed class ActorNote
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public required string Text { get; set; }
    public required string AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// A working group of a territory: organisations that meet on one subject, its sessions and decisions.
public sealed class WorkingGroup
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public required string Name { get; set; }
    public string? Purpose { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<WorkingGroupMember> Members { get; set; } = [];
    public List<WorkingGroupSession> Sessions { get; set; } = [];
}

public sealed class WorkingGroupMember
{
    public int WorkingGroupId { get; set; }
    public int OrganisationId { get; set; }
}

public sealed class WorkingGroupSession
{
    public int Id { get; set; }
    public int WorkingGroupId { get; set; }
    public DateOnly Date { get; set; }
    public string? Notes { get; set; }
    public string? Decisions { get; set; }
}

public sealed class StakeTagConfiguration : IEntityTypeConfiguration<StakeTag>
{
    public void Configure(EntityTypeBuilder<StakeTag> builder)
    {
        builder.ToTable("StakeTags");
        builder.HasKey(t => new { t.OrganisationId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(StakeTag.MaxLength);
        builder.HasIndex(t => t.Tag);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> builder)
    {
        builder.ToTable("Meetings");
        builder.Property(m => m.PeopleMet).HasMaxLength(300);
        builder.Property(m => m.Notes).HasMaxLength(4000);
        builder.Property(m => m.Stakes).HasMaxLength(500);
        builder.HasIndex(m => new { m.OrganisationId, m.Date });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.FollowUps).WithOne().HasForeignKey(f => f.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.ToTable("FollowUps");
        builder.Property(f => f.Text).HasMaxLength(500);
        builder.HasIndex(f => new { f.OwnerUserId, f.Done });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(f => f.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ActorNoteConfiguration : IEntityTypeConfiguration<ActorNote>
{
    public void Configure(EntityTypeBuilder<ActorNote> builder)
    {
        builder.ToTable("ActorNotes");
        builder.Property(n => n.Text).HasMaxLength(4000);
        builder.Property(n => n.AuthorName).HasMaxLength(256);
        builder.HasIndex(n => n.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(n => n.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkingGroupConfiguration : IEntityTypeConfiguration<WorkingGroup>
{
    public void Configure(EntityTypeBuilder<WorkingGroup> builder)
    {
        builder.ToTable("WorkingGroups");
        builder.Property(g => g.Name).HasMaxLength(200);
        builder.Property(g => g.Purpose).HasMaxLength(2000);
        builder.HasIndex(g => g.TerritoryId);
        builder.HasOne<Territory>().WithMany().HasForeignKey(g => g.TerritoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.WorkingGroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(g => g.Sessions).WithOne().HasForeignKey(s => s.WorkingGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkingGroupMemberConfiguration : IEntityTypeConfiguration<WorkingGroupMember>
{
    public void Configure(EntityTypeBuilder<WorkingGroupMember> builder)
    {
        builder.ToTable("WorkingGroupMembers");
        builder.HasKey(m => new { m.WorkingGroupId, m.OrganisationId });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkingGroupSessionConfiguration : IEntityTypeConfiguration<WorkingGroupSession>
{
    public void Configure(EntityTypeBuilder<WorkingGroupSession> builder)
    {
        builder.ToTable("WorkingGroupSessions");
        builder.Property(s => s.Notes).HasMaxLength(4000);
        builder.Property(s => s.Decisions).HasMaxLength(4000);
    }
}
