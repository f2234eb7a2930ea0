# ruff: noqa: E501 - msgids are kept whole, as Wagtail wrote them
"""Wagtail 8's admin strings that its Chinese catalogue lacks, named here so that
`make messages` keeps their translations in locale/zh_Hans/LC_MESSAGES/django.po.

Our catalogue overrides Wagtail's (LOCALE_PATHS come first), but makemessages drops every msgid
no source of ours names, as obsolete. Nothing reads this module at run time: Wagtail's own
gettext calls find the translations. The admin's script strings live in djangojs.po, which
makemessages leaves alone. When Wagtail is upgraded, tests/browser/test_admin_chinese.py shows
what is new.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    gettext_noop("Use server language: %(language_name)s"),
    gettext_noop('You do not have permission to publish pages at "%(page_title)s"'),
    gettext_noop("The slug '%(page_slug)s' is already in use within the parent page."),
    gettext_noop("The new page will be a child of this given parent page."),
    gettext_noop("Tag(s) %(value_too_long)s are over %(max_tag_length)d characters."),
    gettext_noop("Can access Wagtail admin"),
    gettext_noop("items"),
    gettext_noop("Go to the first error"),
    gettext_noop(
        "This %(model_name)s is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."
    ),
    gettext_noop("Publishing this %(model_name)s will cancel the current workflow."),
    gettext_noop("Actions (footer)"),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'
    ),
    gettext_noop(
        "Preview cannot display due to validation errors. <br /> Click save to highlight the relevant fields."
    ),
    ngettext_lazy("Moved down 1 place.", "Moved down %(counter)s places."),
    ngettext_lazy("Moved up 1 place.", "Moved up %(counter)s places."),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("Privacy and access"),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    gettext_noop("Wagtail upgrade available"),
    gettext_noop(
        'Your version: <strong>%(current_version)s</strong>. New version: <strong data-w-upgrade-target="latestVersion"></strong>.'
    ),
    gettext_noop("Read the release notes."),
    gettext_noop("Your pages and snippets in a workflow"),
    gettext_noop("Things in Wagtail %(version)s have changed!"),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been approved in moderation stage "%(task)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in "%(task)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected in moderation stage "%(task)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been rejected during "%(task)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for approval in moderation stage "%(task)s".'
    ),
    gettext_noop("You can preview the %(model_name)s here:"),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for approval to moderation stage "%(task)s".'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for approval in moderation stage "%(task)s"'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in workflow "%(workflow)s".'),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in "%(workflow)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" by %(rejector)s.'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been rejected during "%(workflow)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s" by %(requester)s.'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s".'
    ),
    gettext_noop('The page "%(title)s" has been submitted to workflow "%(workflow)s"'),
    gettext_noop('The %(model_name)s "%(title)s" has been submitted to workflow "%(workflow)s"'),
    gettext_noop("Changing the privacy for this page has been disabled."),
    gettext_noop("Scheduling…"),
    gettext_noop("Schedule to publish"),
    ngettext_lazy(
        "Deleting this page will also delete %(descendant_count)s child page.",
        "Deleting this page will also delete %(descendant_count)s more child pages.",
    ),
    ngettext_lazy(
        "This page has one subpage. Unpublish this too",
        "This page has %(live_descendant_count)s subpages. Unpublish these too",
    ),
    gettext_noop(
        "This page was marked as needing changes at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."
    ),
    gettext_noop(
        "This page is currently at <strong>%(task)s</strong> in <strong>%(workflow)s</strong>."
    ),
    gettext_noop(
        "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site."
    ),
    gettext_noop(
        "If you just want to add pages to an existing site, create them as children of the homepage instead."
    ),
    gettext_noop(
        "Pages created here will not be accessible at any URL. To add pages to an existing site, create them as children of the homepage."
    ),
    gettext_noop(
        "There is no site set up for this location. Pages created here will not be accessible at any URL until a site is associated with this location."
    ),
    gettext_noop(
        "There is no site record for this location. Pages created here will not be accessible at any URL."
    ),
    gettext_noop("This page is locked, by you, to further editing"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site."
    ),
    gettext_noop("No results across entire site."),
    gettext_noop("Search in '<span class=\"w-title-ellipsis\">%(title)s</span>'"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in '<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop("No results in '<span class=\"w-title-ellipsis\">%(title)s</span>'."),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    ngettext_lazy("There is one matching page", "There are %(counter)s matching pages"),
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    gettext_noop("Choose when this page should go live and/or expire"),
    gettext_noop(
        'This publishing schedule will only take effect after you select the "Schedule to publish" option'
    ),
    gettext_noop("Anyone with editing permissions can create schedules"),
    gettext_noop("But only those with publishing permissions can make them effective."),
    gettext_noop("Locked by <b>you</b> at <b>%(locking_date)s</b>"),
    gettext_noop("Locked by <b>%(locked_by)s</b> at <b>%(locking_date)s</b>"),
    gettext_noop("%(field_label)s:"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Edit account avatar"),
    ngettext_lazy(
        "This action will delete <b>%(total_pages_formatted)s</b> page in total.",
        "This action will delete <b>%(total_pages_formatted)s</b> pages in total.",
    ),
    gettext_noop("Please type <b>%(wagtail_site_name)s</b> to confirm."),
    gettext_noop("You saved a new version in another window"),
    gettext_noop("System"),
    gettext_noop("%(user_name)s saved a new version"),
    gettext_noop("View latest version"),
    gettext_noop("You have unsaved changes in another window"),
    gettext_noop("%(user_name)s has unsaved changes"),
    gettext_noop("Currently idle"),
    gettext_noop("Currently viewing"),
    ngettext_lazy(
        "One other user is currently viewing", "%(num_user)s other users are currently viewing"
    ),
    gettext_noop("Proceeding will overwrite the changes you made in that window."),
    gettext_noop("Proceeding will overwrite the changes made by %(user_name)s."),
    gettext_noop("Alternatively, you can view the latest version in a new tab."),
    gettext_noop("A network error occurred"),
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."
    ),
    gettext_noop("account"),
    gettext_noop(
        "Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them."
    ),
    gettext_noop("Section"),
    gettext_noop(
        "Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."
    ),
    gettext_noop("Show issue"),
    gettext_noop("Content metrics"),
    gettext_noop("Words"),
    gettext_noop("Reading time"),
    gettext_noop("Readability"),
    gettext_noop("This data explained"),
    gettext_noop("How we calculate our metrics"),
    gettext_noop(
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words."
    ),
    gettext_noop(
        "We calculate reading time from word count, using different reading speeds for different languages."
    ),
    gettext_noop(
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."
    ),
    gettext_noop(
        'See our <a href="%(guide_link)s" target="_blank">content checks guide</a> for more information on how content metrics are calculated.'
    ),
    gettext_noop("Locking: "),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop("Choose who can view the live version of this page"),
    gettext_noop("To be created by %(user)s"),
    gettext_noop("Invalid schedule"),
    gettext_noop("Go-live:"),
    gettext_noop("Once scheduled:"),
    gettext_noop("Refreshing…"),
    gettext_noop("Refresh"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Save your changes before leaving"),
    ngettext_lazy(
        "This %(model_name)s is referenced %(usage_count)s time.",
        "This %(model_name)s is referenced %(usage_count)s times.",
    ),
    gettext_noop("One or more references to this %(model_name)s prevent it from being deleted."),
    gettext_noop("Status %(status)s"),
    gettext_noop("%(action)s by <b>%(who)s</b> at <b>%(at)s</b>"),
    gettext_noop("%(action)s at <b>%(at)s</b>"),
    gettext_noop("%(action)s by <b>%(who)s</b>"),
    gettext_noop("This %(model_name)s hasn't been submitted for moderation yet"),
    gettext_noop(
        'JavaScript is required to use Wagtail, but it is currently disabled.<br /> Here are the <a href="https://www.enable-javascript.com/" target="_blank" rel="noreferrer">instructions how to enable JavaScript in your web browser</a>.'
    ),
    gettext_noop("Item %(index)s of %(total)s"),
    gettext_noop("Disable custom ordering"),
    gettext_noop("Enable custom ordering"),
    gettext_noop("Checks"),
    gettext_noop(
        "This workflow is currently in progress on %(workflow_states_in_progress)s pages. Deleting this workflow will cancel moderation on these page. Are you sure you want to delete this workflow?"
    ),
    gettext_noop("Assign your workflow to snippets"),
    gettext_noop("This workflow is disabled so it cannot be assigned to any snippets."),
    gettext_noop("Disabled"),
    ngettext_lazy("1 snippet type", "%(counter)s snippet types"),
    gettext_noop(
        'Why not <a class="create-one-now" href="#tab-new" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">create one now</a>?'
    ),
    gettext_noop("Cancelled by %(cancelled_by)s"),
    gettext_noop("More bulk actions"),
    gettext_noop("at %(time)s by %(user_display_name)s"),
    gettext_noop("at %(time)s"),
    gettext_noop("%(time)s by %(user_display_name)s"),
    gettext_noop("%(time_period)s ago by %(user_display_name)s"),
    gettext_noop("Changes requested %(finished_at)s"),
    gettext_noop("Sent to %(task_name)s %(started_at)s"),
    gettext_noop("%(status_display)s %(task_name)s %(started_at)s"),
    gettext_noop("Application"),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("Toggle minimap"),
    gettext_noop("Close modal dialogs (like this one)"),
    gettext_noop("Add or show comments"),
    gettext_noop("Text editing"),
    gettext_noop("Cut"),
    gettext_noop("Paste"),
    gettext_noop("Paste and match style"),
    gettext_noop("Paste without formatting"),
    gettext_noop("Text formatting"),
    gettext_noop("Insert or edit a link"),
    gettext_noop("Monospace (code)"),
    gettext_noop("Strike-through"),
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times"),
    gettext_noop("Toggle checks"),
    gettext_noop("(blank)"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("'%(page_title)s' has been moved successfully."),
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    gettext_noop("Button text is empty"),
    gettext_noop("Use meaningful text for screen reader users"),
    gettext_noop("Empty heading found"),
    gettext_noop("Table header text is empty"),
    gettext_noop("Empty frame title found"),
    gettext_noop("Use a meaningful title for screen reader users"),
    gettext_noop("Incorrect heading hierarchy"),
    gettext_noop("Avoid skipping levels"),
    gettext_noop("Input button text is empty"),
    gettext_noop("Link text is empty"),
    gettext_noop("Misusing paragraphs as headings"),
    gettext_noop("Use proper heading tags"),
    gettext_noop("Image alt text has inappropriate pattern"),
    gettext_noop("Use meaningful text"),
    gettext_noop("Meta description is empty"),
    gettext_noop("Add a concise description for search engines"),
    gettext_noop("%(classname)s object (%(id)s)"),
    gettext_noop("Theme preferences"),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("%(model_name)s '%(title)s' is now unlocked."),
    gettext_noop("%(model_name)s '%(object)s' has been scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' created and scheduled for publishing."),
    gettext_noop(
        "%(model_name)s '%(object)s' is live and this version has been scheduled for publishing."
    ),
    gettext_noop("%(model_name)s '%(object)s' updated and published."),
    gettext_noop("%(model_name)s '%(object)s' created and published."),
    gettext_noop("%(model_name)s '%(object)s' has been submitted for moderation."),
    gettext_noop("%(model_name)s '%(object)s' created and submitted for moderation."),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been restarted."),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been cancelled."),
    gettext_noop("Saving will overwrite a newer version."),
    gettext_noop("The %(model_name)s could not be saved as it is locked"),
    gettext_noop(
        "You are viewing a previous version of this %(model_name)s from <b>%(created_at)s</b> by %(user)s"
    ),
    gettext_noop("%(model_name)s '%(object)s' has been replaced with version from %(timestamp)s."),
    gettext_noop("Version from %(timestamp)s of %(model_name)s '%(object)s' has been published."),
    gettext_noop(
        "Version from %(timestamp)s of %(model_name)s '%(object)s' has been scheduled for publishing."
    ),
    gettext_noop("%(related_model_name)s %(field_label)s"),
    gettext_noop("Sort item order"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("There are validation errors, click save to highlight them."),
    gettext_noop("Compare"),
    gettext_noop("Preview for %(block_label)s (%(block_type)s)"),
    gettext_noop("If you confirm deletion"),
    gettext_noop("(Private %(object)s)"),
    gettext_noop("The %(model_name)s '%(title)s' is not currently awaiting moderation."),
    gettext_noop(
        "The %(model_name)s '%(title)s' is not currently awaiting moderation in task '%(task_name)s'."
    ),
    gettext_noop("Search all pages…"),
    gettext_noop("Privacy is inherited from the ancestor page - %(ancestor_page)s"),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been deleted"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been deleted",
        "%(num_parent_objects)d pages have been deleted",
    ),
    ngettext_lazy("%(num_parent_objects)d page", "%(num_parent_objects)d pages"),
    ngettext_lazy("%(num_child_objects)d child page", "%(num_child_objects)d child pages"),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been published"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been published",
        "%(num_parent_objects)d pages have been published",
    ),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been unpublished"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been unpublished",
        "%(num_parent_objects)d pages have been unpublished",
    ),
    gettext_noop("Choose parent"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("Request to create %(model_name)s was blocked by hook."),
    gettext_noop("The page could not be created due to validation errors."),
    gettext_noop("Request to edit %(model_name)s was blocked by hook."),
    gettext_noop("The page could not be saved as it is locked."),
    gettext_noop("The page could not be saved due to validation errors."),
    gettext_noop("Is commenting action"),
    gettext_noop("Date updated"),
    gettext_noop("Edited by"),
    gettext_noop("Has child pages"),
    gettext_noop("Any"),
    gettext_noop("Page type"),
    gettext_noop("Exploring"),
    gettext_noop(
        "The slug '%(page_slug)s' is already in use at the selected parent page. Make sure the slug is unique and try again."
    ),
    gettext_noop("Placeholder title"),
    gettext_noop("Page types usage"),
    gettext_noop("Locked by"),
    gettext_noop("Anyone"),
    gettext_noop("By task"),
    gettext_noop("By workflow"),
    gettext_noop("Show disabled"),
    ngettext_lazy(
        "This workflow is in progress on %(states_in_progress)d page/snippet. Disabling this workflow will cancel moderation on this page/snippet.",
        "This workflow is in progress on %(states_in_progress)d pages/snippets. Disabling this workflow will cancel moderation on these pages/snippets.",
    ),
    ngettext_lazy(
        "This task is in progress on %(states_in_progress)d page/snippet. Disabling this task will cause it to be skipped in the moderation workflow and not be listed for selection when editing a workflow.",
        "This task is in progress on %(states_in_progress)d pages/snippets. Disabling this task will cause it to be skipped in the moderation workflow and not be listed for selection when editing a workflow.",
    ),
    gettext_noop("Shortcuts"),
    gettext_noop("Required. Letters, digits and @/./+/-/_ only."),
    gettext_noop("admin theme"),
    gettext_noop("More contrast"),
    gettext_noop("contrast"),
    gettext_noop("Snug"),
    gettext_noop("density"),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    gettext_noop("Yes, revoke"),
    gettext_noop("No, don't revoke"),
    gettext_noop(
        'The token "%(name)s" has been created, copy it now, it will never be shown again.'
    ),
    gettext_noop("API token"),
    gettext_noop("Copy token"),
    gettext_noop("Back to API tokens"),
    gettext_noop("Copying failed — please select and copy the token manually."),
    gettext_noop("Toggle all change permissions"),
    gettext_noop("Toggle all delete permissions"),
    gettext_noop("Toggle all custom permissions"),
    gettext_noop("Last used"),
    gettext_noop("Token"),
    gettext_noop("API token created"),
    gettext_noop("Never"),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop("Maximum filesize: %(max_upload_size)s."),
    gettext_noop(
        'Why not <a class="upload-one-now" href="#tab-upload" data-action="w-tabs#select:prevent" data-w-tabs-target="trigger" data-w-tabs-focus-param="true">upload one now</a>?'
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    gettext_noop("The document could not be created due to errors."),
    gettext_noop("The file could not be found. Please change the source or delete the document."),
    gettext_noop("unknown number"),
    gettext_noop("Layout"),
    gettext_noop("You haven't uploaded any images."),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    gettext_noop("Image focal point"),
    gettext_noop("Grid layout"),
    gettext_noop("List layout"),
    gettext_noop(
        "Please provide an image description to comply with best practices for accessibility."
    ),
    gettext_noop(
        "Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required."
    ),
    gettext_noop("Oldest"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Generate URL"),
    gettext_noop("The filter options you have selected are not valid."),
    gettext_noop("Table headers"),
    gettext_noop("Display the first row as a header"),
    gettext_noop("Display the first column as a header"),
    gettext_noop("Display the first row AND first column as headers"),
    gettext_noop("No headers"),
    gettext_noop("Which cells should be displayed as headers?"),
    gettext_noop(
        "A heading that identifies the overall topic of the table, and is useful for screen reader users."
    ),
    gettext_noop("Select a header option"),
)
