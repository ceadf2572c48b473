import { Badge, Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Check, Trash } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useApproveJob } from '../../hooks/useApproveJob';
import { useRemoveCandidate } from '../../hooks/useRemoveCandidate';
import { PERMISSIONS } from '../../permissions';
import type { CandidateView, JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { Section } from '../common/Section';
import { useFeedback } from '../common/useFeedback';
import { JobActionModal, useJobActionOutcome } from './JobActionModal';

/** What the server allows too (media/candidates): keep the attached one, and one left while the job awaits review. */
const canRemove = (job: JobDetail, candidate: CandidateView) =>
  candidate.fileExists &&
  !(candidate.picked && (job.status === 'approved' || job.status === 'succeeded')) &&
  !(job.status === 'awaiting_review' && job.candidates.filter((entry) => entry.fileExists).length <= 1);

const RemoveCandidateModal = ({ job, candidate, onClose }: { job: JobDetail; candidate: CandidateView; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const outcome = useJobActionOutcome(onClose);
  const remove = useRemoveCandidate();
  const position = { position: candidate.index + 1 };
  return (
    <JobActionModal
      title={formatMessage({ id: getTranslation('candidates.remove-title'), defaultMessage: 'Remove candidate {position}?' }, position)}
      onClose={onClose}
      onSubmit={() => remove.mutate({ id: job.id, index: candidate.index }, outcome.done('candidates.removed', 'Candidate removed'))}
      submitLabel={formatMessage({ id: getTranslation('candidates.remove'), defaultMessage: 'Remove' })}
      submitTestId="candidate-remove-confirm"
      loading={remove.isLoading}
      danger
    >
      <Typography>
        {formatMessage({
          id: getTranslation('candidates.remove-hint'),
          defaultMessage: 'Its files are deleted from the Media Library. The job keeps a record of it.',
        })}
      </Typography>
    </JobActionModal>
  );
};

/** The images of a job that asked for several, side by side: approve one, remove the others. */
export const Candidates = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { allowedActions } = useRBAC(PERMISSIONS.actions);
  const feedback = useFeedback();
  const approve = useApproveJob();
  const [removing, setRemoving] = React.useState<CandidateView | null>(null);
  if (job.candidates.length === 0) return null;
  const canReview = Boolean(allowedActions.canReview);
  const attached = job.status === 'approved' || job.status === 'succeeded';

  return (
    <Section title={t('candidates.title', 'Candidates ({count})', { count: job.candidates.length })} testId="job-candidates">
      <Grid.Root gap={4}>
        {job.candidates.map((candidate) => {
          const src = mediaUrl(candidate.fileExists ? candidate.url : undefined);
          const label = t('candidates.label', 'Candidate {position}', { position: candidate.index + 1 });
          return (
            <Grid.Item key={candidate.index} col={4} s={6} xs={12} direction="column" alignItems="stretch">
              <Flex direction="column" alignItems="stretch" gap={2} data-testid={`candidate-${candidate.index}`} data-picked={candidate.picked}>
                <Box background="neutral100" hasRadius overflow="hidden" borderColor={candidate.picked && attached ? 'success600' : undefined} borderWidth={candidate.picked && attached ? '2px' : undefined} borderStyle="solid">
                  {src ? (
                    <Box tag="img" src={src} alt={label} width="100%" display="block" data-testid={`candidate-image-${candidate.index}`} />
                  ) : (
                    <Flex padding={6} justifyContent="center">
                      <Typography variant="pi" textColor="neutral600">{t('candidates.gone', 'Removed')}</Typography>
                    </Flex>
                  )}
                </Box>
                <Flex gap={2} wrap="wrap">
                  <Typography variant="omega" fontWeight="bold">{label}</Typography>
                  {candidate.picked && attached && <Badge active>{t('candidates.attached', 'Attached')}</Badge>}
                  <Typography variant="pi" textColor="neutral600">{`${candidate.width} × ${candidate.height}`}</Typography>
                </Flex>
                <Flex gap={2} wrap="wrap">
                  {canReview && job.status === 'awaiting_review' && candidate.fileExists && (
                    <Button
                      size="S"
                      startIcon={<Check />}
                      loading={approve.isLoading && approve.variables?.candidate === candidate.index}
                      onClick={() =>
                        approve.mutate(
                          { id: job.id, candidate: candidate.index },
                          { onSuccess: () => feedback.success('candidates.approved', 'Candidate attached'), onError: feedback.failure }
                        )
                      }
                      data-testid={`candidate-approve-${candidate.index}`}
                    >
                      {t('candidates.approve', 'Approve this one')}
                    </Button>
                  )}
                  {canReview && canRemove(job, candidate) && (
                    <Button size="S" variant="danger-light" startIcon={<Trash />} onClick={() => setRemoving(candidate)} data-testid={`candidate-remove-${candidate.index}`}>
                      {t('candidates.remove', 'Remove')}
                    </Button>
                  )}
                </Flex>
              </Flex>
            </Grid.Item>
          );
        })}
      </Grid.Root>
      {removing && <RemoveCandidateModal job={job} candidate={removing} onClose={() => setRemoving(null)} />}
    </Section>
  );
};
